import { parseArgs } from "node:util";
import { CliInputError, type CliIo, processIo } from "./cli-io";
import { planCommand, simulateCommand, validateCommand } from "./engine-commands";

const USAGE = `Usage: mms <command> [options]

Commands:
  validate --config FILE                      check a mapping configuration (exit 1 when invalid)
  plan --config FILE --payload FILE           the import plan: every decision the import would make
       [--state FILE] [--now ISO]             against existing state (SPEC 4); empty state by default
  simulate --config FILE --payload FILE       what the configuration maps out of a payload (SPEC 5)

Exit codes: 0 done, 1 invalid configuration, 2 unreadable input or wrong usage.
`;

const COMMANDS: Record<
  string,
  (io: CliIo, args: Record<string, string | undefined>) => Promise<number>
> = {
  validate: validateCommand,
  plan: planCommand,
  simulate: simulateCommand,
};

/** Runs one CLI invocation and returns its exit code; all output goes through `io`. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`mms: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        config: { type: "string" },
        payload: { type: "string" },
        state: { type: "string" },
        now: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
    return await run(io, values);
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
