package reports

import (
	"fmt"
	"strings"

	"github.com/onestop/onestop/data"
)

// Lang selects the language of the report's labels. Names from the data
// (communes, offices) are shown as given, diacritics intact.
type Lang string

const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// labels is the string table of one language. A struct rather than a map so
// a missing translation is a compile error, not a blank cell.
type labels struct {
	HTMLLang                                                    string
	DefaultTitle                                                string
	Dataset, Scenario, Phase, Version                           string
	DossierGrowth                                               string
	SummaryHeading, MapHeading, DistHeading, DistrictHeading    string
	LoadHeading, MergeHeading, WorseHeading                     string
	CompareHeading                                              string
	Before, After, Change                                       string
	Residents, Covered, CoveredShare, Offices, Staff            string
	MeanMinutes, P95Minutes, MaxMinutes, OverWait               string
	Minutes, Population                                         string
	District, Commune, Office, Kind, Status                     string
	StaffBefore, StaffAfter, Dossiers, Norm                     string
	ProductivityVsNorm, PeakOccupancy, StaffQueueStandard       string
	LoadSource, Verdict, Underused, SentenceUnderused, LoadNote string
	NormMinimum, WaitCeiling, TipLoad                           string
	LoadSourceNames, VerdictNames                               map[string]string
	// first screen: the assumptions that shaped the result
	AssumptionsHeading, AssumeGenerated, AssumeStaff, AssumeStraight string
	AssumeRates, AssumeRecordedUnused, AssumeStopped, AssumeExcluded string
	AssumeGrowth, LargestPoint, NoAssumptions                        string
	StoppedByNames                                                   map[string]string
	// trade-off curve and audit
	CurveHeading, CurveSeries, ChosenPlan, CurveNote               string
	AuditHeading, AuditOK, AuditBad, AuditBeyond                   string
	File, Claim, Stated, Recomputed                                string
	WaitErlang, WaitSim, WaitUnstable, Flag, AbsorbedBy            string
	From, To, Reason                                               string
	CoveredBefore, CoveredAfter, MinutesBefore, MinutesAfter       string
	OfficesBefore, OfficesAfter                                    string
	Kept, Closed, New, Merges, Uncovered, MeanMinutesLayer         string
	MapBefore, MapAfter                                            string
	NoMerges, NoWorse                                              string
	KindNames                                                      map[data.OfficeKind]string
	SentenceCovered, SentenceOffices, SentenceTravel, SentenceWait string
	RuleNote                                                       string
	FooterGenerated, DiffHeading, WaitTarget                       string
	// units and chart texts
	StaffUnit, ResidentsUnit, DossiersUnit, KmUnit       string
	ResidentsPerMinute, ShareUpTo, OpenBinNote, ScaleBar string
	CoveredPct, PointsUnit, PctPoints, OfficeID          string
	DistrictLines, NorthArrow                            string
	// merge reasons, built from the numbers of each merge
	ReasonReach, ReasonRuleKept, ReasonRuleLost, ReasonSameCommune string
	ReasonLoad, ReasonFallback                                     string
	// names of new points, from the communes they serve
	NewPointWards, NewPointCommunes, NewPointPlain string
	FlagNames                                      map[string]string
	// compare page
	RunA, RunB, RuleOf, ForcedDatasets                        string
	OfficeDiffHeading, MergeDiffHeading, OnlyIn, NoOfficeDiff string
	NoMergeDiff, StatusIn                                     string
}

// viLabels is the Vietnamese table, built per call so no shared state can be
// mutated.
func viLabels() *labels {
	return &labels{
		HTMLLang:             "vi",
		DefaultTitle:         "Báo cáo quy hoạch mạng lưới Bộ phận Một cửa",
		Dataset:              "Bộ dữ liệu",
		Scenario:             "Phương án",
		Phase:                "Giai đoạn",
		Version:              "Phiên bản onestop",
		DossierGrowth:        "Giả định tăng nhu cầu hồ sơ",
		SummaryHeading:       "Tóm tắt cho lãnh đạo",
		MapHeading:           "Bản đồ tỉnh",
		DistHeading:          "Phân bố thời gian di chuyển",
		DistrictHeading:      "Theo đơn vị cấp huyện",
		LoadHeading:          "Tải hồ sơ so với định mức và thời gian chờ",
		MergeHeading:         "Danh sách sáp nhập",
		WorseHeading:         "Xã/phường/thị trấn bị bất lợi hơn",
		CompareHeading:       "So sánh hai phương án",
		Before:               "Hiện trạng",
		After:                "Phương án",
		Change:               "Thay đổi",
		Residents:            "Dân số",
		Covered:              "Người dân được phục vụ",
		CoveredShare:         "Tỷ lệ được phục vụ",
		Offices:              "Số điểm tiếp nhận",
		Staff:                "Số cán bộ một cửa",
		MeanMinutes:          "Thời gian di chuyển trung bình (phút)",
		P95Minutes:           "Thời gian di chuyển P95 (phút)",
		MaxMinutes:           "Thời gian di chuyển lâu nhất (phút)",
		OverWait:             "Điểm quá tải (thời gian chờ vượt mục tiêu)",
		Minutes:              "phút",
		Population:           "Dân số",
		District:             "Huyện/thị xã/thành phố",
		Commune:              "Xã/phường/thị trấn",
		Office:               "Điểm tiếp nhận",
		Kind:                 "Loại",
		Status:               "Trạng thái",
		StaffBefore:          "Cán bộ trước",
		StaffAfter:           "Cán bộ sau",
		Dossiers:             "Hồ sơ/năm",
		Norm:                 "Định mức (hồ sơ/người/năm)",
		ProductivityVsNorm:   "Năng suất so với định mức (%)",
		PeakOccupancy:        "Tỷ lệ quầy bận giờ cao điểm (%)",
		StaffQueueStandard:   "Cán bộ tối thiểu theo hàng đợi / theo định mức",
		LoadSource:           "Nguồn số hồ sơ",
		Verdict:              "Đánh giá",
		Underused:            "Điểm chưa đạt định mức năng suất",
		SentenceUnderused:    "Số điểm nhận ít hồ sơ mỗi cán bộ hơn định mức (chưa dùng hết cán bộ): %d hiện nay, %d theo phương án.",
		LoadNote:             "Năng suất so với định mức = số hồ sơ mỗi cán bộ chia cho định mức (1.600/1.200/800 hồ sơ/người/năm). Định mức là mức tối thiểu: dưới 100 %% là chưa dùng hết cán bộ; trên 100 %% là cán bộ làm việc hiệu quả, không phải quá tải. Quá tải chỉ xét theo thời gian chờ: điểm quá tải khi thời gian chờ bình quân giờ cao điểm vượt %s phút. Kém hiệu quả: hàng đợi cần nhiều cán bộ hơn số hồ sơ biện minh theo định mức.",
		NormMinimum:          "định mức (100 %) là năng suất tối thiểu; vùng tô xám: chưa dùng hết cán bộ",
		WaitCeiling:          "Trần thời gian chờ",
		TipLoad:              "năng suất %s định mức · chờ %s phút",
		LoadSourceNames:      map[string]string{"recorded": "Số liệu ghi nhận", "log": "Nhật ký hồ sơ", "rate": "Ước tính theo dân số"},
		VerdictNames:         map[string]string{VerdictOverloaded: "Quá tải (chờ vượt mục tiêu)", VerdictUnderused: "Chưa đạt định mức", VerdictInefficient: "Kém hiệu quả"},
		AssumptionsHeading:   "Những giả định quyết định kết quả",
		AssumeGenerated:      "Các điểm tiếp nhận không phải số liệu thực: %d điểm được tạo tự động, mỗi xã/phường một điểm ở giữa địa bàn, số cán bộ ước tính theo dân số.",
		AssumeStaff:          "Số cán bộ của %d điểm là ước tính theo dân số, không phải số thực.",
		AssumeStraight:       "Thời gian di chuyển tính theo đường chim bay nhân hệ số %s với tốc độ giả định, không theo mạng đường thực tế: chuyến đi thực có thể lâu hơn.",
		AssumeRates:          "Số hồ sơ của %d trên %d điểm đang mở là ước tính (dân số nhân số hồ sơ bình quân mỗi người dân), không phải số liệu ghi nhận.",
		AssumeRecordedUnused: "%d điểm có số hồ sơ ghi nhận nhưng lần chạy này không dùng số đó.",
		AssumeStopped:        "Bộ tối ưu dừng vì hết %s trước khi chứng minh phương án là tốt nhất; khoảng cách tới cận còn %s %%.",
		AssumeExcluded:       "%s người dân ở %d xã/phường mà không điểm nào phục vụ được trong quy tắc tiếp cận đã bị loại khỏi phương án.",
		AssumeGrowth:         "Nhu cầu là giả định: số hồ sơ tăng ×%s so với hiện nay.",
		LargestPoint:         "Điểm lớn nhất của phương án: %s, %d cán bộ, %s hồ sơ/năm.",
		NoAssumptions:        "Không có số liệu ước tính: điểm tiếp nhận, cán bộ, đường đi và số hồ sơ đều là số liệu thực.",
		StoppedByNames:       map[string]string{"time limit": "giới hạn thời gian", "work budget": "ngân sách tính toán"},
		CurveHeading:         "Đánh đổi giữa số điểm tiếp nhận và thời gian di chuyển",
		CurveSeries:          "Phương án tốt nhất với mỗi số điểm",
		ChosenPlan:           "Phương án được chọn",
		CurveNote:            "Mỗi điểm trên đường là thời gian di chuyển trung bình ngắn nhất bộ tối ưu tìm được với số điểm tiếp nhận đó; điểm được đánh dấu là phương án này. Mỗi điểm bớt đi là thêm thời gian đi lại cho người dân.",
		AuditHeading:         "Kiểm tra độc lập các con số",
		AuditOK:              "Kiểm tra: %d số liệu được tính lại, 0 sai lệch.",
		AuditBad:             "Kiểm tra: %d số liệu được tính lại, %d sai lệch:",
		AuditBeyond:          "Người dân được phân về điểm ngoài quy tắc tiếp cận: %s.",
		File:                 "Tệp",
		Claim:                "Số liệu",
		Stated:               "Công bố",
		Recomputed:           "Tính lại",
		WaitErlang:           "Thời gian chờ Erlang (phút)",
		WaitSim:              "Thời gian chờ mô phỏng (phút)",
		WaitUnstable:         "Hàng đợi quá tải: chờ vô hạn (∞)",
		Flag:                 "Cảnh báo",
		AbsorbedBy:           "Sáp nhập vào",
		From:                 "Điểm đóng",
		To:                   "Điểm tiếp nhận thay thế",
		Reason:               "Lý do",
		CoveredBefore:        "Được phục vụ (trước)",
		CoveredAfter:         "Được phục vụ (sau)",
		MinutesBefore:        "Phút TB (trước)",
		MinutesAfter:         "Phút TB (sau)",
		OfficesBefore:        "Số điểm (trước)",
		OfficesAfter:         "Số điểm (sau)",
		Kept:                 "Giữ nguyên",
		Closed:               "Đóng/sáp nhập",
		New:                  "Mở mới",
		Merges:               "Sáp nhập",
		Uncovered:            "Dân chưa được phục vụ",
		MeanMinutesLayer:     "Thời gian di chuyển TB (phút)",
		MapBefore:            "Hiện trạng",
		MapAfter:             "Phương án",
		NoMerges:             "Phương án không sáp nhập điểm nào.",
		NoWorse:              "Không có xã/phường/thị trấn nào bị bất lợi hơn.",
		KindNames: map[data.OfficeKind]string{
			data.ProvinceCenter: "Trung tâm Phục vụ hành chính công",
			data.Branch:         "Chi nhánh",
			data.OneStop:        "Bộ phận Một cửa",
			data.InterWard:      "Điểm tiếp nhận liên phường",
			data.CommuneCenter:  "Trung tâm phục vụ hành chính công cấp xã",
			data.Reception:      "Điểm tiếp nhận",
		},
		SentenceCovered:    "Người dân được phục vụ trong %s phút hoặc %s km: %s (%s) hiện nay, %s (%s) theo phương án.",
		SentenceOffices:    "Số điểm tiếp nhận: %d hiện nay, %d theo phương án; số cán bộ một cửa: %d hiện nay, %d theo phương án.",
		SentenceTravel:     "Thời gian di chuyển trung bình %s phút (lâu nhất %s phút) hiện nay, %s phút (lâu nhất %s phút) theo phương án.",
		SentenceWait:       "Số điểm có thời gian chờ trung bình vượt %s phút: %d hiện nay, %d theo phương án.",
		RuleNote:           "Quy tắc: mọi người dân trong vòng %s phút di chuyển hoặc bán kính %s km tới một điểm tiếp nhận; thời gian chờ bình quân không quá %s phút.",
		FooterGenerated:    "Báo cáo do onestop tạo; mở được khi không có mạng.",
		DiffHeading:        "Xã/phường/thị trấn khác biệt nhiều nhất giữa hai phương án",
		WaitTarget:         "Mục tiêu thời gian chờ",
		StaffUnit:          "cán bộ",
		ResidentsUnit:      "người",
		DossiersUnit:       "hồ sơ/năm",
		KmUnit:             "km",
		ResidentsPerMinute: "Số dân mỗi phút của khoảng",
		ShareUpTo:          "% dân cộng dồn",
		OpenBinNote:        "Chiều rộng mỗi cột bằng độ dài khoảng thời gian; chiều cao là số dân chia cho số phút của khoảng, nên diện tích cột tỷ lệ với số dân. Khoảng cuối (từ %s phút trở lên) vẽ rộng %s phút.",
		ScaleBar:           "Thước tỷ lệ",
		CoveredPct:         "Tỷ lệ được phục vụ",
		DistrictLines:      "Ranh giới cấp huyện",
		NorthArrow:         "B",
		PointsUnit:         "điểm",
		PctPoints:          "điểm %",
		OfficeID:           "Mã",
		ReasonReach:        "%s người dân sẽ đến %s hoặc điểm gần hơn: lâu nhất %s phút (trung bình %s phút), xa nhất %s km.",
		ReasonRuleKept:     "Không ai ra ngoài quy tắc tiếp cận.",
		ReasonRuleLost:     "%s người ra ngoài quy tắc tiếp cận.",
		ReasonSameCommune:  "Hai điểm cùng một xã/phường/thị trấn.",
		ReasonLoad:         "Sau sáp nhập, %s nhận %s hồ sơ/năm với %d cán bộ: %s hồ sơ mỗi cán bộ, bằng %s định mức tối thiểu %s.",
		ReasonFallback:     "Người dân của điểm này sẽ do %s phục vụ.",
		NewPointWards:      "Điểm tiếp nhận liên phường %s",
		NewPointCommunes:   "Điểm tiếp nhận liên xã %s",
		NewPointPlain:      "Điểm tiếp nhận mới %s",
		FlagNames:          map[string]string{"overloaded": "Quá tải", "underused": "Chưa dùng hết định mức", "ok": ""},
		RunA:               "Phương án A",
		RunB:               "Phương án B",
		RuleOf:             "Quy tắc của %s: trong vòng %s phút di chuyển hoặc bán kính %s km; thời gian chờ bình quân không quá %s phút.",
		ForcedDatasets:     "Lưu ý: hai phương án dùng hai bộ dữ liệu khác nhau (%s và %s); trang này được tạo với --force, các xã/phường được ghép theo mã và có thể không tương ứng.",
		OfficeDiffHeading:  "Điểm tiếp nhận khác nhau giữa hai phương án",
		MergeDiffHeading:   "Sáp nhập khác nhau giữa hai phương án",
		OnlyIn:             "Chỉ có trong",
		NoOfficeDiff:       "Hai phương án giữ, đóng và mở cùng các điểm tiếp nhận.",
		NoMergeDiff:        "Hai phương án có cùng danh sách sáp nhập.",
		StatusIn:           "Trạng thái trong %s",
	}
}

// enLabels is the English table.
func enLabels() *labels {
	return &labels{
		HTMLLang:             "en",
		DefaultTitle:         "One-stop office network plan",
		Dataset:              "Dataset",
		Scenario:             "Scenario",
		Phase:                "Phase",
		Version:              "onestop version",
		DossierGrowth:        "Assumed dossier demand growth",
		SummaryHeading:       "Summary for leaders",
		MapHeading:           "Province map",
		DistHeading:          "Travel-time distribution",
		DistrictHeading:      "By district",
		LoadHeading:          "Office load against the norm, and waiting times",
		MergeHeading:         "Merges",
		WorseHeading:         "Communes that get worse off",
		CompareHeading:       "Two scenarios side by side",
		Before:               "Current",
		After:                "Scenario",
		Change:               "Change",
		Residents:            "Residents",
		Covered:              "Residents covered",
		CoveredShare:         "Share covered",
		Offices:              "Offices",
		Staff:                "One-stop staff",
		MeanMinutes:          "Mean travel time (min)",
		P95Minutes:           "95th percentile travel time (min)",
		MaxMinutes:           "Worst travel time (min)",
		OverWait:             "Offices overloaded (wait over the target)",
		Minutes:              "min",
		Population:           "Population",
		District:             "District",
		Commune:              "Commune",
		Office:               "Office",
		Kind:                 "Kind",
		Status:               "Status",
		StaffBefore:          "Staff before",
		StaffAfter:           "Staff after",
		Dossiers:             "Dossiers/year",
		Norm:                 "Norm (dossiers/staff/year)",
		ProductivityVsNorm:   "Productivity vs norm (%)",
		PeakOccupancy:        "Peak counter occupancy (%)",
		StaffQueueStandard:   "Staff needed: queue minimum / norm standard",
		LoadSource:           "Load source",
		Verdict:              "Verdict",
		Underused:            "Offices under-used (below the norm)",
		SentenceUnderused:    "Offices receiving fewer dossiers per staff member than the norm (under-used): %d today, %d in the scenario.",
		LoadNote:             "Productivity vs the norm is dossiers per staff member divided by the norm (1,600/1,200/800 dossiers per staff per year). The norm is a minimum: below 100 %% the office is under-used; above it the staff are productive, not overloaded. Overload is judged by waiting only: an office is overloaded when its mean wait at the peak exceeds %s min. Inefficient: the queue needs more staff than the load justifies at the norm.",
		NormMinimum:          "the norm (100 %) is a minimum: under-used in the shaded band",
		WaitCeiling:          "Waiting ceiling",
		TipLoad:              "productivity %s of the norm · wait %s min",
		LoadSourceNames:      map[string]string{"recorded": "Recorded counts", "log": "Dossier log", "rate": "Population × rate"},
		VerdictNames:         map[string]string{VerdictOverloaded: "Overloaded (wait over target)", VerdictUnderused: "Under-used", VerdictInefficient: "Inefficient"},
		AssumptionsHeading:   "Assumptions that shape this result",
		AssumeGenerated:      "The offices are not real: %d one-stop offices were generated, one per commune at its centre, with staff estimated from population.",
		AssumeStaff:          "The staff of %d offices are estimated from population, not counted.",
		AssumeStraight:       "Travel times are straight-line distances × %s at assumed speeds, not routed on roads: real trips may take longer.",
		AssumeRates:          "The dossier loads of %d of %d open offices are estimated as population × dossiers per resident, not recorded counts.",
		AssumeRecordedUnused: "%d offices carry recorded dossier counts that this run did not use.",
		AssumeStopped:        "The optimizer stopped at its %s before proving its plan the best; the gap to its bound is %s %%.",
		AssumeExcluded:       "%s residents in %d communes that no service point can reach within the rule were left out of the plan.",
		AssumeGrowth:         "Demand is a what-if: dossiers grown ×%s over today's.",
		LargestPoint:         "The plan's largest point: %s, %d staff, %s dossiers/year.",
		NoAssumptions:        "No estimated input: offices, staff, travel and dossier counts are all recorded data.",
		StoppedByNames:       map[string]string{"time limit": "time limit", "work budget": "work budget"},
		CurveHeading:         "Offices against travel: what each closure costs residents",
		CurveSeries:          "Best plan for each number of offices",
		ChosenPlan:           "Chosen plan",
		CurveNote:            "Each point of the line is the shortest mean travel time the optimizer found with that many offices; the marked point is this plan. Every office fewer adds travel for residents.",
		AuditHeading:         "Independent audit of the plan's figures",
		AuditOK:              "Audit: %d claims recomputed, 0 mismatches.",
		AuditBad:             "Audit: %d claims recomputed, %d mismatches:",
		AuditBeyond:          "Residents assigned to a point beyond the access rule: %s.",
		File:                 "File",
		Claim:                "Claim",
		Stated:               "Stated",
		Recomputed:           "Recomputed",
		WaitErlang:           "Waiting, Erlang C (min)",
		WaitSim:              "Waiting, simulated mean (min)",
		WaitUnstable:         "Queue overloaded: waiting grows without end (∞)",
		Flag:                 "Flag",
		AbsorbedBy:           "Absorbed by",
		From:                 "Closed office",
		To:                   "Absorbing office",
		Reason:               "Reason",
		CoveredBefore:        "Covered before",
		CoveredAfter:         "Covered after",
		MinutesBefore:        "Mean min before",
		MinutesAfter:         "Mean min after",
		OfficesBefore:        "Offices before",
		OfficesAfter:         "Offices after",
		Kept:                 "Kept",
		Closed:               "Closed / merged",
		New:                  "New",
		Merges:               "Merges",
		Uncovered:            "Residents not covered",
		MeanMinutesLayer:     "Mean travel time (min)",
		MapBefore:            "Current network",
		MapAfter:             "Scenario",
		NoMerges:             "The scenario merges no office.",
		NoWorse:              "No commune gets worse off.",
		KindNames: map[data.OfficeKind]string{
			data.ProvinceCenter: "Public Administration Service Center",
			data.Branch:         "Branch",
			data.OneStop:        "One-stop department",
			data.InterWard:      "Inter-ward point",
			data.CommuneCenter:  "Commune public-administration service centre",
			data.Reception:      "Reception point",
		},
		SentenceCovered:    "Residents within %s minutes or %s km of an office: %s (%s) today, %s (%s) in the scenario.",
		SentenceOffices:    "Offices: %d today, %d in the scenario; one-stop staff: %d today, %d in the scenario.",
		SentenceTravel:     "Mean travel time %s min (worst %s min) today, %s min (worst %s min) in the scenario.",
		SentenceWait:       "Offices whose mean waiting time exceeds %s min: %d today, %d in the scenario.",
		RuleNote:           "Rule: every resident within %s minutes of travel or %s km of an office; mean waiting at most %s minutes.",
		FooterGenerated:    "Report made by onestop; it opens without a network connection.",
		DiffHeading:        "Communes where the two scenarios differ most",
		WaitTarget:         "Waiting target",
		StaffUnit:          "staff",
		ResidentsUnit:      "residents",
		DossiersUnit:       "dossiers/year",
		KmUnit:             "km",
		ResidentsPerMinute: "Residents per minute of the class",
		ShareUpTo:          "Cumulative % of residents",
		OpenBinNote:        "Each bar is as wide as its time class; its height is residents divided by the minutes of the class, so its area is proportional to residents. The last class (%s min and more) is drawn %s min wide.",
		ScaleBar:           "Scale",
		CoveredPct:         "Share covered",
		DistrictLines:      "District boundaries",
		NorthArrow:         "N",
		PointsUnit:         "offices",
		PctPoints:          "pp",
		OfficeID:           "ID",
		ReasonReach:        "%s residents will go to %s or a nearer office: at most %s min (mean %s min), at most %s km.",
		ReasonRuleKept:     "No one falls outside the access rule.",
		ReasonRuleLost:     "%s residents fall outside the access rule.",
		ReasonSameCommune:  "Both offices are in the same commune.",
		ReasonLoad:         "After the merge, %s receives %s dossiers/year with %d staff: %s per staff member, %s of the minimum norm of %s.",
		ReasonFallback:     "Its residents will be served by %s.",
		NewPointWards:      "Inter-ward point %s",
		NewPointCommunes:   "Inter-commune point %s",
		NewPointPlain:      "New service point %s",
		FlagNames:          map[string]string{"overloaded": "Overloaded", "underused": "Under-used", "ok": ""},
		RunA:               "Scenario A",
		RunB:               "Scenario B",
		RuleOf:             "Rule of %s: within %s minutes of travel or %s km of an office; mean waiting at most %s minutes.",
		ForcedDatasets:     "Note: the two scenarios use different datasets (%s and %s); this page was made with --force, and communes are matched by code, which may not correspond.",
		OfficeDiffHeading:  "Offices that differ between the two scenarios",
		MergeDiffHeading:   "Merges that differ between the two scenarios",
		OnlyIn:             "Only in",
		NoOfficeDiff:       "Both scenarios keep, close and open the same offices.",
		NoMergeDiff:        "Both scenarios have the same merges.",
		StatusIn:           "Status in %s",
	}
}

// labels returns the string table of l; empty means Vietnamese, the users'
// language.
func (l Lang) labels() (*labels, error) {
	switch l {
	case Vietnamese, "":
		return viLabels(), nil
	case English:
		return enLabels(), nil
	}
	return nil, fmt.Errorf("language %q: use \"vi\" or \"en\"", string(l))
}

// kindName is the localized name of an office kind, the raw kind if unknown.
func (lb *labels) kindName(k data.OfficeKind) string {
	if s, ok := lb.KindNames[k]; ok {
		return s
	}
	return string(k)
}

// flagName is the localized name of a load flag of the dossier engine
// ("overloaded", "underused", "ok"); any other flag is a planner's own text
// and is shown as given.
func (lb *labels) flagName(f string) string {
	if s, ok := lb.FlagNames[f]; ok {
		return s
	}
	return f
}

// loadSourceName is the localized name of a load source; an unknown
// source is shown as given, none as "".
func (lb *labels) loadSourceName(s string) string {
	if n, ok := lb.LoadSourceNames[s]; ok {
		return n
	}
	return s
}

// verdictText joins the localized verdicts of an office.
func (lb *labels) verdictText(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = lb.VerdictNames[v]
	}
	return strings.Join(out, "; ")
}

// isEngineFlag says whether an office's Flag is one of the dossier
// engine's load flags (raw or in the report's language): the verdict
// replaces those, while a planner's own text is kept.
func isEngineFlag(f string, lb *labels) bool {
	for k, v := range lb.FlagNames {
		if f == k || (v != "" && f == v) {
			return true
		}
	}
	return false
}

// statusName is the localized name of an office status.
func (lb *labels) statusName(s Status) string {
	switch s {
	case Kept:
		return lb.Kept
	case Closed:
		return lb.Closed
	case New:
		return lb.New
	}
	return string(s)
}

// groupLabels renames the "district" headings for a dataset grouped at
// another level: since July 2025 a two-tier province has no districts and
// its tables group communes by province (or a field the dataset names).
func (lb *labels) groupLabels(level string, l Lang) {
	vi := l == Vietnamese || l == ""
	switch level {
	case "", string(data.GroupDistrict):
	case string(data.GroupProvince):
		if vi {
			lb.DistrictHeading, lb.District, lb.DistrictLines = "Theo tỉnh/thành phố", "Tỉnh/thành phố", "Ranh giới tỉnh/thành phố"
		} else {
			lb.DistrictHeading, lb.District, lb.DistrictLines = "By province", "Province", "Province boundaries"
		}
	default:
		if vi {
			lb.DistrictHeading, lb.District, lb.DistrictLines = "Theo nhóm ("+level+")", "Nhóm ("+level+")", "Ranh giới nhóm"
		} else {
			lb.DistrictHeading, lb.District, lb.DistrictLines = "By "+level, level, level+" boundaries"
		}
	}
}

// labels is the string table of the run's language with the headings of
// its grouping level.
func (r Run) labels() (*labels, error) {
	lb, err := r.Lang.labels()
	if err != nil {
		return nil, err
	}
	lb.groupLabels(r.GroupLevel, r.Lang)
	return lb, nil
}
