import { z } from "zod";
import { recordAudit } from "../server/auth/audit-trail";
import { createUser } from "../server/auth/users-service";
import { AppError } from "../server/http/app-error";
import { CliInputError, type CliIo, printJson, required } from "./cli-io";
import { withOperatorDb } from "./operator-db";

/**
 * `mms user create --email E --role R [--name N]`: the account's one-time password is printed
 * this once (only its hash is stored) and must be changed at the first sign-in.
 */
export async function userCreateCommand(
  io: CliIo,
  args: Record<string, string | undefined>,
): Promise<number> {
  const input = {
    email: required(args.email, "email", "EMAIL"),
    role: required(args.role, "role", "admin|consultant|support"),
    name: args.name,
  };
  try {
    const created = await withOperatorDb(async (client) => {
      const result = await createUser(client, input);
      await recordAudit(client, null, {
        action: "users.create",
        targetType: "user",
        targetId: result.user.id,
        targetLabel: result.user.email,
        details: { role: result.user.role, by: "mms user create" },
      });
      return result;
    });
    printJson(io, {
      user_id: created.user.id,
      email: created.user.email,
      role: created.user.role,
      one_time_password: created.oneTimePassword,
    });
    return 0;
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new CliInputError(
        error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "),
      );
    }
    if (error instanceof AppError) throw new CliInputError(error.message);
    throw error;
  }
}
