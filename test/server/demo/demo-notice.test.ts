import { describe, expect, it } from "vitest";
import { demoNotice } from "../../../lib/server/demo/demo-notice";

const demo = {
  integration: { id: "2f1c7e4a-0000-4000-8000-000000000001", name: "Demo ERP" },
  apiKey: "mms_uy9xtQDUY6tMvHDM26z_9FLNrIjiBNiF",
  useCases: [{ id: "u1", slug: "meter-readings", version: 1 }],
};

describe("the demo key notice", () => {
  const notice = demoNotice(demo, "http://localhost:3000");
  const lines = notice.split("\n");
  const framed = lines.filter((line) => line !== "");
  const contents = framed.slice(1, -1).map((line) => line.replace(/^│ ?/, "").trim());

  it("stands apart: a blank line before and after a frame whose every line is marked", () => {
    expect(lines[0]).toBe("");
    expect(lines.at(-1)).toBe("");
    expect(framed[0]).toMatch(/^┌─ Demo data ─+$/);
    expect(framed.at(-1)).toMatch(/^└─+$/);
    for (const line of framed.slice(1, -1)) expect(line).toMatch(/^│( |$)/);
    // The rules fit an 80-column terminal.
    expect(framed[0]?.length).toBeLessThanOrEqual(80);
    expect(framed.at(-1)?.length).toBeLessThanOrEqual(80);
  });

  it("holds the key on a line of its own and says it is shown once", () => {
    expect(contents).toContain(demo.apiKey);
    expect(notice).toMatch(/shown this once/);
  });

  it("says where the demo integration is", () => {
    expect(contents).toContain(`http://localhost:3000/integrations/${demo.integration.id}`);
    expect(notice).toContain('"Demo ERP"');
  });
});
