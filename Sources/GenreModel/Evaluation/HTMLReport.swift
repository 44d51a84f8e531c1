import Foundation

/// Renders an ``EvaluationReport`` as one self-contained HTML page (no scripts, no external
/// files): headline numbers, a confusion-matrix heat map, per-class precision/recall/F1 bars and
/// learning curves, all as inline SVG.
public enum HTMLReport {
  /// The HTML page for `report`.
  public static func render(_ report: EvaluationReport, title: String) -> String {
    var body = "<h1>\(escape(title))</h1>\n<p class=\"sub\">\(escape(report.dataDescription))</p>\n"
    body += "<table class=\"nums\"><tr><th></th><th>accuracy</th><th>macro F1</th><th>count</th></tr>"
    for (name, m) in [("windows", report.windows), ("songs", report.songs)] {
      body += "<tr><td>\(name)</td><td>\(percent(m.accuracy))</td><td>"
        + String(format: "%.3f", m.macroF1) + "</td><td>\(m.count)</td></tr>"
    }
    body += "</table>\n"
    if let folds = report.foldAccuracies {
      body += "<p>Per-fold window accuracy: " + folds.map(percent).joined(separator: ", ") + "</p>\n"
    }
    body += "<h2>Confusion matrix (windows; rows = truth, columns = prediction)</h2>\n"
    body += confusionSVG(report.windows)
    body += "<h2>Per-class precision, recall and F1 (windows)</h2>\n" + classBarsSVG(report.windows)
    if let training = report.training, !training.history.isEmpty {
      body += "<h2>Learning curves</h2>\n<p class=\"sub\">\(escape(training.data)), \(escape(training.split)); "
        + "preset \(training.configuration.preset.rawValue), seed \(training.configuration.seed), "
        + "best epoch \(training.bestEpoch)</p>\n"
      body += curveSVG(
        title: "loss", series: [
          ("train", training.history.map { $0.loss }, "#1f77b4"),
          ("validation", training.history.compactMap { $0.validationLoss }, "#d62728"),
        ])
      body += curveSVG(
        title: "accuracy", series: [
          ("train", training.history.map { $0.accuracy }, "#1f77b4"),
          ("validation", training.history.compactMap { $0.validationAccuracy }, "#d62728"),
        ])
    }
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
      <style>
      body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em; color: #222; max-width: 1100px; }
      h1 { margin-bottom: 0.2em; } .sub { color: #666; margin-top: 0; }
      table.nums { border-collapse: collapse; } table.nums td, table.nums th { padding: 4px 14px; border-bottom: 1px solid #ddd; text-align: right; }
      svg { display: block; margin: 0.5em 0 1.5em; } svg text { font-size: 12px; fill: #222; }
      </style></head><body>
      \(body)</body></html>

      """
  }

  static func confusionSVG(_ m: ClassificationMetrics) -> String {
    let n = m.labels.count
    let cell = 44
    let left = 90
    let top = 90
    let size = left + n * cell + 20
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(size)\" height=\"\(top + n * cell + 20)\">"
    for (i, row) in m.confusion.enumerated() {
      let total = max(row.reduce(0, +), 1)
      svg += "<text x=\"\(left - 6)\" y=\"\(top + i * cell + cell / 2 + 4)\" text-anchor=\"end\">\(escape(m.labels[i]))</text>"
      for (j, count) in row.enumerated() {
        let share = Double(count) / Double(total)
        let shade = Int(255 - 200 * share)
        let color = "rgb(\(shade),\(Int(255 - 120 * share)),255)"
        svg += "<rect x=\"\(left + j * cell)\" y=\"\(top + i * cell)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" "
          + "fill=\"\(color)\"><title>\(escape(m.labels[i])) → \(escape(m.labels[j])): \(count)</title></rect>"
        svg += "<text x=\"\(left + j * cell + cell / 2 - 1)\" y=\"\(top + i * cell + cell / 2 + 4)\" "
          + "text-anchor=\"middle\"\(share > 0.6 ? " style=\"fill:#fff\"" : "")>\(count)</text>"
      }
    }
    for j in 0..<n {
      let x = left + j * cell + cell / 2
      svg += "<text x=\"\(x)\" y=\"\(top - 8)\" transform=\"rotate(-45 \(x) \(top - 8))\">\(escape(m.labels[j]))</text>"
    }
    return svg + "</svg>\n"
  }

  static func classBarsSVG(_ m: ClassificationMetrics) -> String {
    let rowHeight = 36
    let left = 90
    let width = 600
    let colors = [("precision", "#1f77b4"), ("recall", "#ff7f0e"), ("F1", "#2ca02c")]
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(left + width + 160)\" "
      + "height=\"\(m.perClass.count * rowHeight + 40)\">"
    for (i, c) in m.perClass.enumerated() {
      let y = 10 + i * rowHeight
      svg += "<text x=\"\(left - 6)\" y=\"\(y + 20)\" text-anchor=\"end\">\(escape(c.label))</text>"
      for (k, value) in [c.precision, c.recall, c.f1].enumerated() {
        let w = Int(Double(width) * value)
        svg += "<rect x=\"\(left)\" y=\"\(y + k * 10)\" width=\"\(w)\" height=\"9\" fill=\"\(colors[k].1)\">"
          + "<title>\(escape(c.label)) \(colors[k].0): \(String(format: "%.3f", value))</title></rect>"
      }
      svg += "<text x=\"\(left + width + 6)\" y=\"\(y + 20)\">F1 \(String(format: "%.2f", c.f1))</text>"
    }
    let legendY = m.perClass.count * rowHeight + 30
    for (k, (name, color)) in colors.enumerated() {
      svg += "<rect x=\"\(left + k * 110)\" y=\"\(legendY - 10)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
        + "<text x=\"\(left + k * 110 + 16)\" y=\"\(legendY)\">\(name)</text>"
    }
    return svg + "</svg>\n"
  }

  static func curveSVG(title: String, series: [(String, [Double], String)]) -> String {
    let (width, height, left, top) = (640, 260, 60, 20)
    let values = series.flatMap(\.1).filter(\.isFinite)
    guard let lowest = values.min(), let highest = values.max() else { return "" }
    // 5 % headroom so points at the extremes are not drawn on the frame.
    let range = max(highest - lowest, 1e-9)
    let low = lowest - 0.05 * range
    let span = 1.1 * range
    let epochs = max(series.map(\.1.count).max() ?? 1, 1)
    // One epoch (a closed-form fit such as `lda`) sits in the middle of the axis.
    func x(_ i: Int) -> Double {
      epochs == 1 ? Double(left) + Double(width) / 2 : Double(left) + Double(width) * Double(i) / Double(epochs - 1)
    }
    func y(_ v: Double) -> Double { Double(top) + Double(height) * (1 - (v - low) / span) }
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(left + width + 140)\" height=\"\(top + height + 40)\">"
    svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"#aaa\"/>"
    for k in 0...4 {
      let v = low + span * Double(k) / 4
      svg += "<text x=\"\(left - 6)\" y=\"\(String(format: "%.1f", y(v) + 4))\" text-anchor=\"end\">"
        + String(format: "%.3g", v) + "</text>"
    }
    svg += "<text x=\"\(left + width / 2)\" y=\"\(top + height + 30)\" text-anchor=\"middle\">"
      + (epochs == 1 ? "epoch 1 (one pass)" : "epoch (1–\(epochs))") + " — \(title)</text>"
    for (index, (name, points, color)) in series.enumerated() where !points.isEmpty {
      let path = points.enumerated().map { String(format: "%.1f,%.1f", x($0.offset), y($0.element)) }
      svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(path.joined(separator: " "))\"/>"
      // Markers where the points are few enough to tell apart (a single point has no line at all).
      if points.count <= 40 {
        for (i, v) in points.enumerated() where v.isFinite {
          svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" ", x(i), y(v)) + "fill=\"\(color)\">"
            + "<title>\(escape(name)) epoch \(i + 1): \(String(format: "%.4g", v))</title></circle>"
        }
      }
      svg += "<rect x=\"\(left + width + 12)\" y=\"\(top + index * 20)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
        + "<text x=\"\(left + width + 30)\" y=\"\(top + index * 20 + 11)\">\(escape(name))</text>"
    }
    return svg + "</svg>\n"
  }

  static func percent(_ value: Double) -> String { String(format: "%.1f %%", 100 * value) }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
