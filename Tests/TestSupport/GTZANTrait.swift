import Testing

extension Trait where Self == ConditionTrait {
  /// Runs the test only when `GTZAN_DIR` names the GTZAN data folder; otherwise it is skipped with
  /// `TestData.gtzanSkipMessage`, which says how to enable it.
  public static var requiresGTZAN: Self {
    .enabled(if: TestData.gtzanDirectory != nil, Comment(rawValue: TestData.gtzanSkipMessage))
  }
}
