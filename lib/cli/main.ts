import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliInputError, type CliIo, processIo } from "./cli-io";
import { planCommand, simulateCommand, validateCommand } from "./engine-commands";

const USAGE = `Usage: mms <command> [options]

Engine commands (files in, JSON out, no database):
  validate --config FILE                      check a mapping configuration (exit 1 when invalid)
  plan --config FILE --payload FILE           the import plan: every decision the import would make
       [--state FILE] [--now ISO]             against existing state (SPEC 4); empty state by default
       [--vars FILE]                          integration variables for env_var_ref (as simulate)
  simulate --config FILE --payload FILE       what the configuration maps out of a payload (SPEC 5)
       [--vars FILE]                          integration variables for env_var_ref: a JSON object
                                              { "key": "value" | { "value", "secret"? } }
  (plan, simulate, import: --format json|xml says how the payload is written; a .xml file is XML)

Operator commands (on the app's database: DATABASE_URL, else the PGlite folder MMS_DATA_DIR):
  integration create --name NAME              a new integration and its API key (shown once)
  use-case publish --integration ID --slug SLUG --config FILE [--event-name NAME] [--message TEXT]
                                              publish the next configuration version (exit 1 when
                                              invalid); creates the use case on first publish
  import --integration ID --use-case SLUG --payload FILE
                                              run a payload through the latest published version
  user create --email EMAIL --role admin|consultant|support [--name NAME]
                                              a new account; its one-time password is printed once

Exit codes: 0 done, 1 invalid configuration, 2 unreadable input, wrong usage or database
unavailable (e.g. its folder is in use by a running server).
`;

type Options = NonNullable<ParseArgsConfig["options"]>;
type Run = (io: CliIo, args: Record<string, string | undefined>) => Promise<number>;

const file = { type: "string" } as const;
const operator = () => import("./operator-commands");
const users = () => import("./user-commands");

/** Each command with the flags it accepts; operator commands load the database code lazily. */
const COMMANDS: Record<string, { options: Options; run: Run }> = {
  validate: { options: { config: file }, run: validateCommand },
  plan: {
    options: { config: file, payload: file, format: file, state: file, now: file, vars: file },
    run: planCommand,
  },
  simulate: {
    options: { config: file, payload: file, format: file, vars: file },
    run: simulateCommand,
  },
  "integration create": {
    options: { name: file },
    run: async (io, args) => (await operator()).integrationCreateCommand(io, args),
  },
  "use-case publish": {
    options: { integration: file, slug: file, "event-name": file, config: file, message: file },
    run: async (io, args) => (await operator()).useCasePublishCommand(io, args),
  },
  import: {
    options: { integration: file, "use-case": file, payload: file, format: file },
    run: async (io, args) => (await operator()).importCommand(io, args),
  },
  "user create": {
    options: { email: file, role: file, name: file },
    run: async (io, args) => (await users()).userCreateCommand(io, args),
  },
};

const GROUPS = new Set(["integration", "use-case", "user"]);

/** Runs one CLI invocation and returns its exit code; all output goes through `io`. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [first, ...afterFirst] = argv;
  if (first === undefined || first === "help" || first === "--help" || first === "-h") {
    io.out(USAGE);
    return first === undefined ? 2 : 0;
  }
  const grouped =
    GROUPS.has(first) && afterFirst[0] !== undefined && !afterFirst[0].startsWith("-");
  const command = grouped ? `${first} ${afterFirst[0]}` : first;
  const rest = grouped ? afterFirst.slice(1) : afterFirst;
  // The command is user text: "toString" must not find Object.prototype's.
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry && GROUPS.has(command)) {
    const subcommands = Object.keys(COMMANDS).filter((c) => c.startsWith(`${command} `));
    io.err(`mms: "${command}" needs a subcommand: ${subcommands.join(", ")}\n\n${USAGE}`);
    return 2;
  }
  if (!entry) {
    io.err(`mms: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: entry.options,
      strict: true,
      allowPositionals: false,
    });
    return await entry.run(io, values as Record<string, string | undefined>);
  } catch (error) {
    if (
      error instanceof CliInputError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      io.err(`mms ${command}: ${(error as Error).message}\n`);
      return 2;
    }
    io.err(`mms ${command}: unexpected failure: ${(error as Error)?.message ?? String(error)}\n`);
    return 70;
  }
}
