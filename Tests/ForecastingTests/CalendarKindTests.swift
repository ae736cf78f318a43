import Testing
@testable import Forecasting
import PlanningCore

/// Calendar kinds a forecast meets for the first time (`peakplan forecast` warns about them).
@Suite struct CalendarKindTests {
    @Test("a forecast day whose calendar kind the history never had is reported; seen kinds and named tags are not")
    func unseenCalendarKinds() {
        var cal = DayCalendar(firstDay: Civil.parseDate("1999-03-01")!, days: 40)
        cal.tags[1] = ["custom", "custom=Purim"]
        cal.tags[4] = ["month_start", "month_start=day5"]
        cal.tags[31] = ["holiday", "holiday=Passover first day"]
        cal.tags[32] = ["after1:holiday", "month_start", "month_start=day2"]
        cal.tags[33] = ["custom", "custom=Memorial Day"]
        cal.excluded[2] = true
        cal.tags[2] = ["sales"]
        let u = cal.unseenKinds(historyDays: 30, horizonDays: 7)
        #expect(u.map(\.day) == [31, 32])
        #expect(u.first?.kinds == ["holiday"] && u.last?.kinds == ["after1:holiday"])
        // An anomaly (excluded) day does not count as history; beyond the horizon nothing is reported.
        cal.tags[35] = ["sales"]
        #expect(cal.unseenKinds(historyDays: 30, horizonDays: 7).map(\.day) == [31, 32, 35])
        #expect(cal.unseenKinds(historyDays: 30, horizonDays: 3).map(\.day) == [31, 32])
        #expect(cal.unseenKinds(historyDays: 40, horizonDays: 7).isEmpty)
    }
}
