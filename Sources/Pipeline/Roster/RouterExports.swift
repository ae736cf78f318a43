import PlanningCore
import Reports
import Staffing

/// Router-native exports of a roster's people (shapes in DESIGN's router notes, from the vendors' API references):
/// Amazon Connect routing profiles and a generic skills-and-proficiency table (Genesys proficiency 0-5,
/// Avaya/Cisco skill levels, TaskRouter attributes can all be loaded from it with a thin script).
///
/// One routing profile per agent group (an agent holds exactly one profile in Connect): a queue the group holds
/// at level 1 has priority 1 and no delay; at level k, priority k and a delay of (k - 1) x the queue's answer
/// target (`answer_seconds`), so secondary-skill agents take a queue's contacts once they have waited that
/// long: the overflow order the plan assumed, expressed as the router's own settings. Queue ids are PeakPlan's
/// queue names (map them to the router's ids when loading).
public enum RouterExports {
    public static let connectFormat = "peakplan-connect-routing-profiles/1"
    public static let skillsFormat = "peakplan-agent-skills/1"

    /// Per channel: the router's media channel, the concurrency an agent handles, and the answer target.
    public struct ChannelFacts: Sendable, Equatable {
        public var connectChannel: String
        public var concurrency: Int
        public var answerSeconds: Double
    }

    /// Facts of every queue of the roster, from the configuration (kinds, chat concurrency, service targets).
    public static func facts(queues: [String], configuration c: Configuration) -> [String: ChannelFacts] {
        var out: [String: ChannelFacts] = [:]
        for q in queues {
            let kind = c.workspace.channel(named: q)?.kind ?? .voice
            let settings = try? c.staffing.settings(for: q)
            let connect: String
            switch kind {
            case .voice: connect = "VOICE"
            case .chat: connect = "CHAT"
            case .email: connect = "EMAIL"
            case .social, .app, .backoffice: connect = "TASK"
            }
            let concurrency = kind == .chat ? min(10, max(1, settings?.concurrencyFactors.count ?? 1)) : 1
            out[q] = ChannelFacts(
                connectChannel: connect, concurrency: concurrency,
                answerSeconds: settings?.targets.serviceSeconds ?? c.workspace.service.answerSeconds)
        }
        return out
    }

    struct QueueReference: Encodable { var QueueId: String; var Channel: String }
    struct QueueConfig: Encodable { var QueueReference: QueueReference; var Priority: Int; var Delay: Int }
    struct CrossChannelBehavior: Encodable { var BehaviorType: String }
    struct MediaConcurrency: Encodable { var Channel: String; var Concurrency: Int; var CrossChannelBehavior: CrossChannelBehavior }
    struct Profile: Encodable {
        var Name: String
        var Description: String
        var DefaultOutboundQueueId: String
        var QueueConfigs: [QueueConfig]
        var MediaConcurrencies: [MediaConcurrency]
    }
    struct Assignment: Encodable { var agent_id: String; var name: String; var routing_profile: String }
    struct ConnectDocument: Encodable {
        var format_version: String
        var source: String
        var routing_profiles: [Profile]
        var user_assignments: [Assignment]
    }

    /// Priority and delay of a skill level for a queue.
    public static func priority(level: Int, answerSeconds: Double) -> (priority: Int, delaySeconds: Int) {
        let l = max(1, level)
        return (min(99, l), min(9999, Int((Double(l - 1) * answerSeconds).rounded())))
    }

    /// Amazon Connect routing profiles (`CreateRoutingProfile` shape) and which agent holds which.
    public static func connectJSON(_ doc: RosterDocument, facts: [String: ChannelFacts], source: String) -> String {
        var profiles: [Profile] = []
        for group in doc.allocation.groups {
            let skills = group.skills.map { ScheduleDocument.SkillLevel(queue: $0.queue, level: $0.level) }
            let configs = skills.map { s -> QueueConfig in
                let f = facts[s.queue] ?? ChannelFacts(connectChannel: "VOICE", concurrency: 1, answerSeconds: 20)
                let p = priority(level: s.level, answerSeconds: f.answerSeconds)
                return QueueConfig(QueueReference: .init(QueueId: s.queue, Channel: f.connectChannel), Priority: p.priority, Delay: p.delaySeconds)
            }
            var media: [MediaConcurrency] = []
            for s in skills {
                let f = facts[s.queue] ?? ChannelFacts(connectChannel: "VOICE", concurrency: 1, answerSeconds: 20)
                if let i = media.firstIndex(where: { $0.Channel == f.connectChannel }) {
                    media[i].Concurrency = max(media[i].Concurrency, f.concurrency)
                } else {
                    media.append(MediaConcurrency(Channel: f.connectChannel, Concurrency: f.concurrency, CrossChannelBehavior: .init(BehaviorType: "ROUTE_CURRENT_CHANNEL_ONLY")))
                }
            }
            let members = doc.agents.filter { $0.group == group.id }.count
            profiles.append(
                Profile(
                    Name: String(("peakplan " + group.id).prefix(127)),
                    Description: String("PeakPlan agent group \(group.id): \(members) agent\(members == 1 ? "" : "s"); priority and delay from skill level".prefix(250)),
                    DefaultOutboundQueueId: skills.first?.queue ?? "", QueueConfigs: configs, MediaConcurrencies: media))
        }
        let assignments = doc.agents.map { Assignment(agent_id: $0.id, name: $0.name, routing_profile: String(("peakplan " + $0.group).prefix(127))) }
        return JSONOutput.render(ConnectDocument(format_version: connectFormat, source: source, routing_profiles: profiles, user_assignments: assignments))
    }

    /// One row per agent and skill: group, queue, level, Genesys-style proficiency (0-5, level 1 = 5), and the
    /// priority and delay the Connect profile gives it.
    public static func skillsTable(_ doc: RosterDocument, facts: [String: ChannelFacts]) -> Table {
        var t = Table(columns: ["format_version", "agent_id", "name", "agent_group", "queue", "channel", "level", "proficiency", "priority", "delay_seconds"])
        for a in doc.agents {
            for s in a.skills.sorted(by: { ($0.level, $0.queue) < ($1.level, $1.queue) }) {
                let f = facts[s.queue] ?? ChannelFacts(connectChannel: "VOICE", concurrency: 1, answerSeconds: 20)
                let p = priority(level: s.level, answerSeconds: f.answerSeconds)
                t.rows.append([
                    .text(skillsFormat), .text(a.id), .text(a.name), .text(a.group), .text(s.queue), .text(f.connectChannel.lowercased()),
                    .int(s.level), .int(max(0, 6 - s.level)), .int(p.priority), .int(p.delaySeconds)
                ])
            }
        }
        return t
    }
}
