import Dispatch

/// A value made on a background queue while the caller gets on with
/// something else; `value` waits for it.
final class Pending<Value: Sendable>: @unchecked Sendable {
  // Written once by the background task before it signals; read only
  // after waiting for that signal.
  private var result: Value?
  private let done = DispatchSemaphore(value: 0)

  init(_ make: @escaping @Sendable () -> Value) {
    DispatchQueue.global().async {
      self.result = make()
      self.done.signal()
    }
  }

  var value: Value {
    done.wait()
    // Let the next reader through as well.
    done.signal()
    return result!
  }
}
