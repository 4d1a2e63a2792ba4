import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Settings fixed for a console session: what it watches, how it looks, and how it behaves.
public struct DashboardConfig: Sendable, Equatable {
    /// Smallest terminal the panels are laid out for; below it the console shows a "too small" screen.
    public static let minimumWidth = 70
    public static let minimumHeight = 20
    /// Refresh intervals `+` and `-` step through, in seconds.
    public static let intervals: [Double] = [0.5, 1, 2, 5, 10, 30, 60]

    /// The source's description for the status line.
    public var sourceName: String
    public var theme: Theme
    /// Auto-rotate panels, ignore stray keys, never exit on errors.
    public var kiosk: Bool
    /// Seconds each panel shows in kiosk mode.
    public var rotateEvery: Double
    /// Seconds between polls at start.
    public var interval: Double
    /// Clock times on screen are in this zone (the local one: TZ, else /etc/localtime).
    public var timeZone: ClockZone
    /// The Batch panel's file browser cannot leave this directory (absolute, symlinks resolved).
    public var batchRoot: String
    /// Version of the model the Batch panel scores with.
    public var batchModel: String
    /// Longest wait between retries after failures, in seconds.
    public var maxBackoff: Double
    /// Why the Batch panel cannot score (no usable model), shown instead of the file browser.
    public var batchUnavailable: String?
    /// Where the Model panel's promote and roll back go (`ModelControl.name`); nil: the console cannot change models.
    public var modelControl: String?
    /// The source is a fleet (Prometheus): panel 6 shows its replicas.
    public var fleet: Bool
    /// Ring the terminal bell once whenever an alert starts firing (`--bell`).
    public var bell: Bool
    /// The time range the histories cover at start (`--range`; `t` cycles it).
    public var range: HistoryRange

    public init(sourceName: String, theme: Theme = Theme(charset: .utf8, color: .color), kiosk: Bool = false,
                rotateEvery: Double = 15, interval: Double = 1, timeZone: ClockZone = .local, batchRoot: String = "/",
                batchModel: String = "", maxBackoff: Double = 10, batchUnavailable: String? = nil,
                modelControl: String? = nil, fleet: Bool = false, bell: Bool = false,
                range: HistoryRange = .live) {
        self.sourceName = sourceName
        self.theme = theme
        self.kiosk = kiosk
        self.rotateEvery = rotateEvery
        self.interval = interval
        self.timeZone = timeZone
        self.batchRoot = batchRoot
        self.batchModel = batchModel
        self.maxBackoff = maxBackoff
        self.batchUnavailable = batchUnavailable
        self.modelControl = modelControl
        self.fleet = fleet
        self.bell = bell
        self.range = range
    }
}
