import Foundation
import PlanningCore
import Testing
@testable import Simulation

/// The trace-driven replay on hand-made records, and the Kaplan-Meier patience estimate on a hand-computed case.
@Suite struct ReplayTests {
    /// One agent, known arrivals and service times, nobody abandons: waits follow by hand.
    @Test func singleAgentExactWaits() {
        let contacts = [
            ReplayContact(arrival: 0, queue: 0, handle: 100),
            ReplayContact(arrival: 10, queue: 0, handle: 50),
            ReplayContact(arrival: 20, queue: 0, handle: 30),
            ReplayContact(arrival: 500, queue: 0, handle: 10)
        ]
        let agent = ReplayAgent(skills: [0], segments: [(0, 1000)])
        let out = Replay.run(contacts: contacts, agents: [agent], queueCount: 1)
        // Starts 0, 100, 150 (first come first served), 500 (the agent is idle again).
        #expect(out.wait == [0, 90, 130, 0])
        #expect(out.abandoned == [false, false, false, false])
        #expect(out.agent == [0, 0, 0, 0])
    }

    /// Patience: a contact abandons when its patience ends before an agent is free (also exactly at it), and
    /// one that finds an idle agent is served even with zero patience.
    @Test func patienceAndAbandonment() {
        let contacts = [
            ReplayContact(arrival: 0, queue: 0, handle: 100, patience: 0),
            ReplayContact(arrival: 10, queue: 0, handle: 50, patience: 60),
            ReplayContact(arrival: 20, queue: 0, handle: 30, patience: 80),
            ReplayContact(arrival: 30, queue: 0, handle: 30, patience: 200)
        ]
        let out = Replay.run(contacts: contacts, agents: [ReplayAgent(skills: [0], segments: [(0, 1000)])], queueCount: 1)
        // The agent is free at 100: contact 1 gave up at 70, contact 2 at exactly 100, contact 3 is served.
        #expect(out.wait == [0, nil, nil, 70])
        #expect(out.abandoned == [false, true, true, false])
    }

    /// After-call work keeps the agent away; priority credit puts a later contact first; segment edges.
    @Test func afterWorkCreditAndSegments() {
        let contacts = [
            ReplayContact(arrival: 0, queue: 0, handle: 100, afterWork: 20),
            ReplayContact(arrival: 10, queue: 0, priorityClass: 0, handle: 10),
            ReplayContact(arrival: 50, queue: 0, priorityClass: 1, handle: 10),
            ReplayContact(arrival: 125, queue: 0, handle: 10)
        ]
        // The agent leaves at 135 (it is serving then) and comes back at 300.
        let agent = ReplayAgent(skills: [0], segments: [(0, 135), (300, 1000)])
        let settings = ReplaySettings(classCredit: [0, 90])
        let out = Replay.run(contacts: contacts, agents: [agent], queueCount: 1, settings: settings)
        // Free at 120: contact 2 (credited to 50 - 90 = -40) goes before contact 1 (10); contact 2 ends at 130,
        // contact 1 starts at 130 and runs past the segment end; contact 3 waits for the next segment (300).
        #expect(out.wait == [0, 120, 70, 175])
        let fcfs = Replay.run(contacts: contacts, agents: [agent], queueCount: 1)
        #expect(fcfs.wait == [0, 110, 80, 175])
    }

    /// Skills and the longest-idle agent: an arrival goes to the agent idle longest among those with its skill;
    /// a free agent takes the longest wait among its skills, or the best-ranked queue with static ranks.
    @Test func skillsAndRouting() {
        let agents = [
            ReplayAgent(skills: [0], segments: [(0, 1000)]),
            ReplayAgent(skills: [0, 1], segments: [(5, 1000)])
        ]
        let contacts = [
            ReplayContact(arrival: 10, queue: 1, handle: 100),  // only agent 1 can
            ReplayContact(arrival: 20, queue: 0, handle: 100),  // agent 0 (idle since 0)
            ReplayContact(arrival: 30, queue: 1, handle: 10),  // waits for agent 1 (free at 110)
            ReplayContact(arrival: 40, queue: 0, handle: 10)  // waits: agent 0 free at 120, agent 1 at 110
        ]
        let out = Replay.run(contacts: contacts, agents: agents, queueCount: 2)
        // At 110 agent 1 takes contact 2 (waiting since 30, before 40); at 120 agent 0 takes contact 3.
        #expect(out.agent == [1, 0, 1, 0])
        #expect(out.wait == [0, 0, 80, 80])
        let ranked = Replay.run(contacts: contacts, agents: agents, queueCount: 2, settings: ReplaySettings(queueRank: [0, 1]))
        // With queue 0 ranked first, agent 1 takes contact 3 at 110 and contact 2 waits until 120 (agent 1 free).
        #expect(ranked.agent == [1, 0, 1, 1])
        #expect(ranked.wait == [0, 0, 90, 70])
        // Longest idle: both idle, agent 1 idle since 5, agent 0 since 0 -> agent 0 takes a queue-0 arrival.
        let first = Replay.run(contacts: [ReplayContact(arrival: 50, queue: 0, handle: 1)], agents: agents, queueCount: 2)
        #expect(first.agent == [0])
    }

    /// Kaplan-Meier by hand: abandonments at 2, 4, 4, 7; served (censored) at 3, 4, 8, 10.
    @Test func kaplanMeierHandComputed() {
        let km = KaplanMeierPatience(abandoned: [2, 4, 4, 7], censored: [3, 4, 8, 10], tailRisk: 1)
        // t=2: 8 at risk, 1 event -> 7/8; t=4: 6 at risk (the censoring at 3 left), 2 events -> 7/8 * 4/6;
        // t=7: 3 at risk -> * 2/3. Ties: the abandonments at 4 count before the censoring at 4.
        #expect(km.times == [2, 4, 7])
        #expect(abs(km.survival[0] - 0.875) < 1e-12)
        #expect(abs(km.survival[1] - 0.875 * 4 / 6) < 1e-12)
        #expect(abs(km.survival[2] - 0.875 * 4 / 6 * 2 / 3) < 1e-12)
        #expect(km.quantile(survival: 0.9) == 2)
        #expect(km.quantile(survival: 0.5) == 7)
        #expect(km.quantile(survival: 0.3) == .infinity)  // beyond the last abandonment, no tail events
        #expect(km.survivalAt(1.5) == 1)
        #expect(km.survivalAt(3) == 0.875)

        // With the tail cut where fewer than 4 are at risk (after t=4): the exponential tail from 4 has the
        // remaining 7 (abandoned), 8, 10 (served): 1 abandonment over 3 + 4 + 6 = 13 s waited -> mean 13 s.
        let cut = KaplanMeierPatience(abandoned: [2, 4, 4, 7], censored: [3, 4, 8, 10], tailRisk: 4)
        #expect(cut.times == [2, 4])
        #expect(cut.tailStart == 4)
        #expect(abs(cut.tailMean - 13) < 1e-12)
        let s4 = 0.875 * 4 / 6
        #expect(abs(cut.quantile(survival: 0.5) - (4 + 13 * log(s4 / 0.5))) < 1e-9)
        #expect(abs(cut.survivalAt(5) - s4 * exp(-1.0 / 13)) < 1e-12)
        // Mean: area under S = 1 * 2 + 0.875 * 2 + s4 * 13.
        #expect(abs(cut.mean - (2 + 0.875 * 2 + s4 * 13)) < 1e-9)
    }

    /// Random centres: every contact is served, abandoned or still waiting (never two); a service starts inside
    /// one of the agent's segments, on one of its skills, after the arrival and before the patience ends; an
    /// agent never serves two contacts at once (after-call work included); and the same input gives the same
    /// outcome.
    @Test func randomCentresKeepTheRules() {
        var g = SplitMix64(seed: 16)
        for round in 0..<40 {
            let nq = g.int(1...3), na = g.int(1...4)
            var agents: [ReplayAgent] = []
            for _ in 0..<na {
                var skills = (0..<nq).filter { _ in g.uniform() < 0.6 }
                if skills.isEmpty { skills = [g.int(0...(nq - 1))] }
                var t = g.uniform() * 100, segs: [(start: Double, end: Double)] = []
                for _ in 0..<g.int(1...3) {
                    let e = t + 50 + g.uniform() * 400
                    segs.append((t, e)); t = e + g.uniform() * 200
                }
                agents.append(ReplayAgent(skills: skills, segments: segs))
            }
            var t = 0.0, contacts: [ReplayContact] = []
            for _ in 0..<g.int(5...60) {
                t += g.uniform() < 0.2 ? 0 : g.uniform() * 30  // some equal arrival times
                contacts.append(
                    ReplayContact(
                        arrival: t, queue: g.int(0...(nq - 1)), priorityClass: g.int(0...1), handle: g.uniform() * 60,
                        afterWork: g.uniform() < 0.5 ? 0 : g.uniform() * 20, patience: g.uniform() < 0.2 ? .infinity : g.uniform() * 120))
            }
            let settings = ReplaySettings(classCredit: [0, 30], queueRank: round % 2 == 0 ? nil : (0..<nq).map { $0 })
            let out = Replay.run(contacts: contacts, agents: agents, queueCount: nq, settings: settings)
            #expect(out == Replay.run(contacts: contacts, agents: agents, queueCount: nq, settings: settings))
            var busy = [[(Double, Double)]](repeating: [], count: na)
            for (i, c) in contacts.enumerated() {
                if let w = out.wait[i] {
                    #expect(!out.abandoned[i])
                    #expect(w >= 0 && w < c.patience || w == 0)
                    let a = out.agent[i], start = c.arrival + w
                    #expect(agents[a].skills.contains(c.queue))
                    // arrival + wait rounds back to the start time within 1e-9 s.
                    #expect(zip(agents[a].starts, agents[a].ends).contains { start >= $0.0 - 1e-9 && start < $0.1 + 1e-9 }, "round \(round): start \(start)")
                    busy[a].append((start, start + c.handle + c.afterWork))
                } else {
                    #expect(out.agent[i] == -1)
                    #expect(out.abandoned[i] == c.patience.isFinite)
                }
            }
            for list in busy {
                let s = list.sorted { $0.0 < $1.0 }
                for (x, y) in zip(s, s.dropFirst()) { #expect(y.0 >= x.1 - 1e-9, "round \(round): overlapping services") }
            }
        }
    }
}
