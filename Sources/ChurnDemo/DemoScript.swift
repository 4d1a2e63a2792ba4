#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The timeline `churn dashboard --demo` plays, repeating every `period` seconds, so a kiosk shows every tile
/// move within three minutes and then recover:
///
/// - 0:00–0:30 calm: generated customers follow the training data; feedback mostly agrees with the model.
/// - 0:30–1:00 drift creeps in on about 40% of the features (the drift window is one minute, so the score
///   follows within seconds); about 1:00 data_drift_score passes 0.30, DataDriftHigh goes pending, then firing
///   15 s later.
/// - 1:00–3:00 full drift: outcomes sent to /feedback now mostly disagree with the model, so live F1 falls
///   (ModelF1Low pending, then firing, when it drops below 0.5).
/// - 3:00–3:30 recovery: the traffic returns to the training distribution; the drift score falls back within a
///   minute and the drift alert resolves; F1 climbs back as agreeing outcomes arrive.
/// - 3:30–6:00 calm, then it all repeats.
///
/// Throughout, the request rate swings between about 7 and 29 a second and about one request in fifty is
/// malformed or misses a field. Pure: times in, levels out.
public struct DemoScript: Sendable {
    /// Seconds of one round of the timeline.
    public static let period = 360.0
    /// Seconds of traffic the demo's drift score is measured on (a real server uses 15 minutes).
    public static let driftWindow = 60
    /// Hold time of every alert rule in the demo, seconds.
    public static let alertHold = 15.0

    /// Where the timeline is.
    public enum Phase: String, Sendable { case calm, drifting, drifted, recovering }

    public init() {}

    /// Seconds into the current round.
    public func position(_ elapsed: Double) -> Double {
        let p = elapsed.truncatingRemainder(dividingBy: Self.period)
        return p < 0 ? p + Self.period : p
    }

    public func phase(at elapsed: Double) -> Phase {
        switch position(elapsed) {
        case ..<30: .calm
        case ..<60: .drifting
        case ..<180: .drifted
        case ..<210: .recovering
        default: .calm
        }
    }

    /// Drift (0–1) of the generated customers.
    public func drift(at elapsed: Double) -> Double {
        let p = position(elapsed)
        switch phase(at: elapsed) {
        case .calm: return 0
        case .drifting: return (p - 30) / 30
        case .drifted: return 1
        case .recovering: return 1 - (p - 180) / 30
        }
    }

    /// Chance that an outcome sent to /feedback agrees with the model's prediction: high while calm, low under
    /// full drift (the customers the model was not trained on behave otherwise).
    public func agreement(at elapsed: Double) -> Double {
        0.92 - 0.72 * drift(at: elapsed)
    }

    /// Requests per second: a two-minute swing, so any drift window of one minute holds enough rows (at least
    /// about 700, over the 500 the drift rule needs at most) for the score to be measured.
    public func rate(at elapsed: Double) -> Double {
        18 + 8 * sin(elapsed / 120 * 2 * .pi) + 3 * sin(elapsed / 4.3)
    }
}
