import ArgumentParser
import Foundation
import TailwartCore

@main
struct Tailwart: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tailwart",
    abstract: "Check, render and explain a self-hosted mail edge from one inventory.yaml.",
    discussion: """
      Exit status: 0 clean (warnings allowed), 1 findings or bad input, 2 usage errors.
      Colour only on a terminal, never with NO_COLOR set.
      """,
    version: TailwartVersion.current,
    subcommands: [
      InitCommand.self,
      CheckCommand.self,
      RenderCommand.self,
      SiteCommand.self,
      ExplainCommand.self,
      InstallHookCommand.self,
      PreCommitCommand.self,
      DNSCommand.self,
      PlanCommand.self,
      SchemaCommand.self,
    ]
  )

  /// Runs the command; maps usage errors to exit status 2 with one line.
  static func main() {
    StandardStreams.prepare()
    do {
      var command = try parseAsRoot()
      try command.run()
      if StandardStreams.stdoutFailed {
        StandardStreams.err("tailwart: error: cannot write to standard output; its output is incomplete\n")
        Foundation.exit(1)
      }
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure || error is UsageError {
        let text = (error as? UsageError)?.message ?? message(for: error)
        let first = text.split(separator: "\n").first.map(String.init) ?? text
        StandardStreams.err("tailwart: error: \(TerminalText.safe(first)) (see 'tailwart --help')\n")
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}

/// A mistake in how tailwart was called (exit 2).
struct UsageError: Error {
  var message: String
  init(_ message: String) { self.message = message }
}
