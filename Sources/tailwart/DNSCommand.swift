import ArgumentParser
import Foundation
import TailwartCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct DNSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dns",
    abstract: "Compare tailwart's DNS records with the live zone, and apply them safely.",
    subcommands: [DNSPlanCommand.self, DNSPushCommand.self]
  )
}

struct DNSPlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show what a push would create and delete in the live zone.",
    discussion: """
      Compares the records tailwart publishes with a listing of the live zone (the JSON \
      Spaceship's GET /dns/records/{domain} returns, every page). A live record is tailwart's \
      when its name and type are ones tailwart writes and, for TXT, its value is a kind tailwart \
      writes there (SPF, DMARC, MTA-STS, TLS-RPT, DKIM); all others are foreign and never deleted.
      """
  )

  @OptionGroup var options: InventoryOptions

  @Option(help: "The zone listing to compare with (JSON with items and total).")
  var snapshot: String

  @Option(help: "text (a table) or json (create, delete, unchanged, foreign: Spaceship items).")
  var format: PlanFormat = .text

  @Flag(help: "Exit 1 when anything would be created, changed or deleted.")
  var expectNoChanges = false

  func run() throws {
    let console = Console()
    let share = try DNSShareLoader.load(options, console: console)
    guard FileManager.default.fileExists(atPath: snapshot) else {
      throw UsageError("snapshot file \(snapshot) not found")
    }
    let live: [SpaceshipRecord]
    do {
      live = try DNSSnapshot.read(path: snapshot)
    } catch {
      console.failure(error)
      throw ExitCode.failure
    }
    let plan = DNSPlan(share: share, live: live)
    switch format {
    case .json: print(try plan.json())
    case .text: print(plan.table(zone: share.zone), terminator: "")
    }
    if expectNoChanges && plan.hasChanges { throw ExitCode.failure }
  }
}

struct DNSPushCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "push",
    abstract: "Apply tailwart's records to the live zone at Spaceship: backup, delete its stale records, put, verify.",
    discussion: """
      Reads the API key and secret from SPACESHIP_API_KEY and SPACESHIP_API_SECRET. Lists the \
      whole zone, saves it to the backup folder, plans, and refuses without --force a plan that \
      deletes or changes more than a third of tailwart's records in a zone of ten or more. Shows \
      the plan and asks (unless --yes, or no terminal), deletes tailwart's stale records, puts \
      the new ones, then lists the zone again and checks it holds exactly the plan's outcome. \
      Foreign records are never touched. Nothing is sent when nothing changed.
      """
  )

  @OptionGroup var options: InventoryOptions

  @Option(help: "Spaceship's API base URL.")
  var apiURL: String = SpaceshipClient.defaultBaseURL

  @Option(help: "Where the zone is saved before any write (default: .tailwart/dns-backups/ beside the inventory).")
  var backupDir: String?

  @Flag(help: "Push even when the plan deletes or changes more than a third of tailwart's records.")
  var force = false

  @Flag(help: "Do not ask before writing.")
  var yes = false

  @Option(help: .hidden)
  var timeout: Double = 30

  func run() throws {
    let console = Console()
    let share = try DNSShareLoader.load(options, console: console)
    guard let url = URL(string: apiURL), let scheme = url.scheme, ["https", "http"].contains(scheme), url.host != nil
    else { throw UsageError("--api-url \(apiURL) is not an http(s) URL") }
    let credentials: SpaceshipCredentials
    do {
      credentials = try SpaceshipCredentials.fromEnvironment(ProcessInfo.processInfo.environment)
    } catch {
      console.failure(error)
      throw ExitCode.failure
    }
    let folder = backupDir ?? Self.defaultBackupFolder(inventory: options.inventory)
    let client = SpaceshipClient(baseURL: url, domain: share.zone.text, credentials: credentials, timeout: timeout)
    let push = DNSPush(share: share, client: client, backupFolder: folder, force: force)
    let interactive = !yes && isatty(STDIN_FILENO) == 1
    let zone = share.zone
    let hooks = DNSPush.Hooks(
      confirm: { plan in
        print(plan.table(zone: zone), terminator: "")
        guard interactive else { return true }
        FileHandle.standardError.write(Data("apply these changes to \(zone)? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
      },
      log: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
    let result = Blocking.run { () async throws(DNSPush.Failure) -> DNSPush.Result in try await push.run(hooks) }
    switch result {
    case .success(.upToDate): console.status("\(zone) is up to date; nothing sent")
    case .success(.declined): console.status("nothing applied")
    case .success(.applied): console.status("\(zone) now holds tailwart's records")
    case .failure(let failure):
      console.status("tailwart: error: \(failure)")
      throw ExitCode.failure
    }
  }

  static func defaultBackupFolder(inventory: String) -> String {
    let base = (inventory as NSString).deletingLastPathComponent
    return base.isEmpty ? ".tailwart/dns-backups" : (base as NSString).appendingPathComponent(".tailwart/dns-backups")
  }
}

/// How `plan` and `dns plan` print: a table for people, JSON for scripts.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// The inventory, checked, as tailwart's share of the zone.
enum DNSShareLoader {
  static func load(_ options: InventoryOptions, console: Console) throws -> DNSShare {
    let loaded = try options.load(console: console)
    let result = Checker.check(loaded.deployment, strict: options.strict)
    console.report(
      result.findings, sources: [options.inventory: loaded.source], siteURL: loaded.deployment.siteURL.value)
    guard let checked = result.checked else { throw ExitCode.failure }
    do {
      return DNSShare(try DNSRecordSet(checked))
    } catch {
      console.report(error.findings, sources: [options.inventory: loaded.source], siteURL: nil)
      throw ExitCode.failure
    }
  }
}

/// Runs async work to its end from a synchronous command.
enum Blocking {
  final class Box<T: Sendable>: @unchecked Sendable {
    var value: T?
  }

  static func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () async throws(E) -> T) -> Result<T, E> {
    let box = Box<Result<T, E>>()
    let done = DispatchSemaphore(value: 0)
    Task {
      do throws(E) {
        box.value = .success(try await work())
      } catch {
        box.value = .failure(error)
      }
      done.signal()
    }
    done.wait()
    return box.value!
  }
}
