public enum TailwartVersion {
  public static let current = "0.1.0"
}
