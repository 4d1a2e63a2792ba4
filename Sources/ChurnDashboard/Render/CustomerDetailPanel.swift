import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One customer opened from the Batch results (Enter), and `churn snapshot --customer`: every input with its
/// value, the probability and risk level, and each input's contribution to the score as a bar from a centre
/// line (right raises the risk, left lowers it), strongest first.
public enum CustomerDetailPanel {
    /// Rows above the inputs table (summary lines and the table header) plus the box.
    public static let chromeRows = 6

    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ v: CustomerView, _ t: Theme) {
        let c = v.customer
        let sev: Severity = c.risk == .high ? .crit : c.risk == .medium ? .warn : .ok
        let inner = Box.draw(&grid, rect, title: "Customer \(c.id) (line \(c.line))", theme: t,
                             badge: ("\(t.glyphs.symbol(sev)) \(c.risk.rawValue) \(Format.fixed(c.probability, 3))", t.style(sev)))
        guard inner.height >= 3 else { return }
        let x = inner.x + 1, w = inner.width - 2
        if let error = v.error {
            grid.put("\(t.glyphs.crit) cannot explain this customer", x: x, y: inner.y, style: t.style(.crit), maxWidth: w)
            for (i, l) in TextWrap.lines(error, width: w).enumerated() where 2 + i < inner.height {
                grid.put(l, x: x, y: inner.y + 2 + i)
            }
            return
        }
        guard let e = v.explanation else {
            grid.put("Explaining line \(c.line) \(t.glyphs.ellipsis)", x: x, y: inner.y, style: t.muted, maxWidth: w)
            return
        }
        let sep = t.glyphs.separator
        var cx = x
        cx += grid.put("probability ", x: cx, y: inner.y, style: t.label)
        cx += grid.put(Format.fixed(e.probability, 3), x: cx, y: inner.y, style: .bold)
        cx += grid.put(sep, x: cx, y: inner.y, style: t.label)
        cx += grid.put("\(t.glyphs.symbol(sev)) \(e.risk.rawValue) risk", x: cx, y: inner.y, style: t.style(sev))
        grid.put("\(sep)model \(e.modelVersion)\(sep)\(methodName(e.method))", x: cx, y: inner.y, style: t.label, maxWidth: x + w - cx)
        grid.put("margin \(signed(e.margin)) = base \(signed(e.baseValue)) + each input's share below (logit)",
                 x: x, y: inner.y + 1, style: t.label, maxWidth: w)
        let table = Rect(x: x, y: inner.y + 3, width: w, height: inner.height - 3)
        inputs(&grid, table, e.strongestFirst, scroll: v.scroll, t)
    }

    static func inputs(_ grid: inout CellGrid, _ r: Rect, _ rows: [CustomerExplanation.Input], scroll: Int, _ t: Theme) {
        guard r.height >= 2 else { return }
        let nameW = min(20, max(8, r.width / 5)), valueW = min(22, max(8, r.width / 4)), numberW = 7
        let chartX = r.x + nameW + valueW + 2
        let chartW = r.maxX - chartX - numberW - 1
        grid.put("input", x: r.x, y: r.y, style: t.title.adding(.underline))
        grid.put("value", x: r.x + nameW + 1, y: r.y, style: t.title.adding(.underline))
        if chartW >= 8 {
            grid.put("lowers risk", x: chartX, y: r.y, style: t.label, maxWidth: chartW / 2 - 1)
            grid.putRight("raises risk", right: chartX + chartW, y: r.y, style: t.label, maxWidth: chartW / 2 - 1)
        }
        grid.putRight("logit", right: r.maxX, y: r.y, style: t.title.adding(.underline))
        let visible = r.height - 1
        let start = max(0, min(scroll, rows.count - visible))
        let scale = rows.map { abs($0.contribution) }.max() ?? 0
        for (i, input) in rows.dropFirst(start).prefix(visible).enumerated() {
            let y = r.y + 1 + i
            grid.put(input.column, x: r.x, y: y, maxWidth: nameW)
            grid.put(shownValue(input), x: r.x + nameW + 1, y: y, style: .bold, maxWidth: valueW)
            if chartW >= 8 { bar(&grid, x: chartX, y: y, width: chartW, value: input.contribution, scale: scale, t) }
            grid.putRight(signed(input.contribution), right: r.maxX, y: y,
                          style: input.contribution > 0 ? t.style(.crit) : t.label)
        }
        let below = rows.count - start - visible
        if below > 0 {
            grid.putRight(" \(t.glyphs.downArrow)\(below) more ", right: r.maxX, y: r.maxY, style: t.accent)
        }
    }

    /// A bar from the centre of `width` cells: right for a positive value, left for a negative one, its length
    /// relative to `scale` (the largest magnitude on screen). Whole cells, so both directions read alike.
    static func bar(_ grid: inout CellGrid, x: Int, y: Int, width: Int, value: Double, scale: Double, _ t: Theme) {
        let half = (width - 1) / 2
        let centre = x + half
        grid.set(centre, y, t.glyphs.vertical, t.border)
        guard scale > 0, value.isFinite, value != 0 else { return }
        let n = Int((abs(value) / scale * Double(half)).rounded())
        let style = value > 0 ? t.bar(.crit) : t.bar(.ok)
        for i in 0..<n { grid.set(value > 0 ? centre + 1 + i : centre - 1 - i, y, t.glyphs.barFull, style) }
    }

    /// The value as in the file; how the model read it when that says more ("Weekly (unseen)"), or alone when
    /// the field is blank ("missing").
    static func shownValue(_ input: CustomerExplanation.Input) -> String {
        let value = input.value.trimmingWhitespace(newlines: false)
        if value.isEmpty { return input.readAs }
        return ["missing", "unseen", "other"].contains(input.readAs) ? "\(value) (\(input.readAs))" : value
    }

    static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + Format.fixed(v, 2) }

    static func methodName(_ method: String) -> String {
        switch method {
        case "logistic": "exact (logistic)"
        case "tree_shap": "exact TreeSHAP"
        case "path_based": "path-based (no covers)"
        default: method
        }
    }
}
