import Testing
@testable import PlanningCore

/// One `ShiftTemplate` for both engines: the scheduler's period view and the roster's minute view agree.
@Suite struct ShiftTemplateTests {
    /// The roster's 8-hour template: 06:00-15:00 starts every 30 minutes, a 30-minute unpaid break in the middle.
    static let day8 = ShiftTemplate(name: "day8", startEarliest: 6 * 60, startLatest: 15 * 60, startStepMinutes: 30, paidHours: 8, breakMinutes: 30)

    @Test func rosterMinutesView() {
        let t = Self.day8
        #expect(t.name == "day8" && t.id == "day8" && t.grid == .minute)
        #expect(t.lengthMinutes == 510 && t.startEarliest == 360 && t.startLatest == 900 && t.startStepMinutes == 30)
        #expect(abs(t.paidHours - 8) < 1e-12 && t.breakMinutes == 30)
        // The break sits in the middle, on the half hour: 255 - 15 = 240 minutes after the start.
        #expect(t.breakOffset(on: .halfHour) == 240 && t.breakOffset(on: .hour) == 240 && t.breakOffset(on: .quarterHour) == 240)
        #expect(ShiftTemplate(name: "p4", startEarliest: 420, startLatest: 420, paidHours: 4, breakMinutes: 0).breakOffset(on: .halfHour) == nil)
    }

    @Test func rosterTemplateOnPlanningGrids() {
        let t = Self.day8
        #expect(t.starts(on: .halfHour) == Array(stride(from: 360, through: 900, by: 30)))
        #expect(t.starts(on: .hour) == Array(stride(from: 360, through: 900, by: 60)))
        #expect(t.lengthSlots(on: .halfHour) == 17 && t.lengthSlots(on: .hour) == 9 && t.lengthSlots(on: .quarterHour) == 34)
        #expect(t.breakSlots(on: .halfHour) == 8..<9 && t.breakSlots(on: .hour) == 4..<5 && t.breakSlots(on: .quarterHour) == 16..<18)
    }

    /// The roster template counted on a planning grid is the scheduler template `peakplan bench roster` used to
    /// build by hand: span, start grid, window end and the break fixed in the middle.
    @Test func onGridGivesTheSchedulersPeriods() {
        let s = Self.day8.onGrid(.halfHour)
        #expect(s == ShiftTemplate(id: "day8", spanPeriods: 17, startStep: 1, earliestStart: 12, latestEnd: 47,
                                   breaks: [BreakRule(durationPeriods: 1, earliestOffset: 8, latestOffset: 8)], grid: .halfHour))
        #expect(s.paidPeriods == 16 && s.onDutyPeriods == 16 && s.starts == Array(12...30))
        // Its minute view is unchanged by the change of grid.
        #expect(s.lengthMinutes == 510 && s.startEarliest == 360 && s.startLatest == 900 && abs(s.paidHours - 8) < 1e-12 && s.breakMinutes == 30)
        let h = Self.day8.onGrid(.hour)
        #expect(h.spanPeriods == 9 && h.breaks == [BreakRule(durationPeriods: 1, earliestOffset: 4, latestOffset: 4)] && h.starts == Array(6...15))
    }

    /// A scheduler template (periods of a 15-minute grid) read in minutes.
    @Test func schedulerTemplateInMinutes() {
        let t = ShiftTemplate(id: "6h", spanPeriods: 26, startStep: 2, earliestStart: 28, latestEnd: 96,
                              breaks: [BreakRule(durationPeriods: 2, earliestOffset: 10, latestOffset: 14), BreakRule(durationPeriods: 1, earliestOffset: 4, latestOffset: 6, paid: true)],
                              grid: .quarterHour)
        #expect(t.lengthMinutes == 390 && t.startEarliest == 420 && t.startLatest == 1050 && t.startStepMinutes == 30)
        #expect(t.paidPeriods == 24 && abs(t.paidHours - 6) < 1e-12 && t.breakMinutes == 30)
        #expect(t.breakOffset(on: .quarterHour) == 150)
    }
}
