// A small typed client over the types openapi-typescript generates from /openapi (OpenApiClientsIT
// type-checks it under tsc --strict). If the document drifts from what clients rely on (a field
// renamed, a status or header dropped, a body typed as something else), this stops compiling.
import type { components, operations, paths } from "gateway-api";

type Schemas = components["schemas"];
/** What a lookup below gives when the document lacks it: nothing is assignable to it or readable from it. */
type Missing<What extends string> = { readonly missing: What };
/** The JSON body an operation takes. */
export type JsonBody<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { "application/json": infer B } };
} ? B : Missing<`${Op} JSON request body`>;
/** The JSON body an operation answers with for a status. */
export type JsonResponse<Op extends keyof operations, Status extends number> = operations[Op]["responses"] extends {
  [S in Status]: { content: { "application/json": infer B } };
} ? B : Missing<`${Op} ${Status} JSON response`>;

export class GatewayError extends Error {
  constructor(readonly problem: Schemas["Problem"], readonly retryAfter: number | undefined) {
    super(`${problem.status} ${problem.title}${problem.detail === undefined ? "" : ": " + problem.detail}`);
  }
}

export class Gateway {
  constructor(private readonly baseUrl: string) {}

  private async post(path: keyof paths, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(this.baseUrl + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw await problem(response);
    }
    return response;
  }

  async sql(request: JsonBody<"runSql">): Promise<JsonResponse<"runSql", 200>> {
    return (await this.post("/v1/sql", request)).json();
  }

  async dataframe(spec: JsonBody<"runDataFrame">): Promise<Schemas["JsonResult"]> {
    return (await this.post("/v1/dataframe", spec)).json();
  }

  async schema(spec: JsonBody<"dataframeSchema">): Promise<JsonResponse<"dataframeSchema", 200>> {
    return (await this.post("/v1/dataframe/schema", spec)).json();
  }

  async plan(spec: JsonBody<"dataframePlan">): Promise<JsonResponse<"dataframePlan", 200>> {
    return (await this.post("/v1/dataframe/plan", spec)).json();
  }

  async runPlan(plan: JsonBody<"runPlan">): Promise<Schemas["JsonResult"]> {
    return (await this.post("/v1/plan", plan)).json();
  }

  /** Submits a statement; `location` is where to poll it (the Location header of 200 and 202). */
  async submit(request: JsonBody<"submitStatement">, idempotencyKey?: string):
      Promise<{ statement: Schemas["Statement"]; location: string }> {
    const response = await this.post("/v1/statements", request,
        idempotencyKey === undefined ? {} : { "Idempotency-Key": idempotencyKey });
    const statement: JsonResponse<"submitStatement", 200 | 202> = await response.json();
    return { statement, location: response.headers.get("Location") ?? `/v1/statements/${statement.statementId}` };
  }

  async statement(id: string): Promise<JsonResponse<"getStatement", 200>> {
    const response = await fetch(`${this.baseUrl}/v1/statements/${encodeURIComponent(id)}`);
    if (!response.ok) {
      throw await problem(response);
    }
    return response.json();
  }

  /** Polls until the statement ends, waiting as long as Retry-After says when the gateway is busy. */
  async rows(statement: Schemas["Statement"]): Promise<unknown[][]> {
    let current = statement;
    while (current.state === "PENDING" || current.state === "RUNNING") {
      current = await this.statement(current.statementId);
    }
    const result: Schemas["StatementResult"] | undefined = current.result;
    if (current.state !== "SUCCEEDED" || result === undefined) {
      throw new Error(`statement ${current.statementId} ended ${current.state}: ${current.error?.detail ?? ""}`);
    }
    const rows: unknown[][] = [];
    for (const chunk of result.chunks) {
      const response = await fetch(`${this.baseUrl}/v1/statements/${current.statementId}/result/chunks/${chunk.index}`);
      const body: JsonResponse<"getStatementChunk", 200> = await response.json();
      rows.push(...body.rows);
    }
    return rows;
  }
}

async function problem(response: Response): Promise<GatewayError> {
  const retryAfter = response.headers.get("Retry-After");
  const body: Schemas["Problem"] = await response.json();
  return new GatewayError(body, retryAfter === null ? undefined : Number(retryAfter));
}

// The request bodies clients are told to send, checked against the generated types.
export const typedParameters: JsonBody<"runSql"> = {
  sql: "SELECT :price * 2 AS doubled, :day AS day",
  parameters: { price: { value: "12.30", type: "DECIMAL(10,2)" }, day: { value: "2024-01-31", type: "DATE" } },
  limit: 10,
};
export const positionalParameters: JsonBody<"runSql"> = { sql: "SELECT ? + ?", parameters: [1, 2.5] };
export const waitSeconds: JsonBody<"submitStatement"> = { sql: "SELECT 1", waitTimeout: 0.5, onWaitTimeout: "CANCEL" };
export const waitDuration: JsonBody<"submitStatement"> = {
  dataframe: { source: { range: { start: 0, end: 10, step: 2 } }, ops: [{ orderBy: { col: "id", order: "desc" } }] },
  waitTimeout: "PT30S",
};
export const joinSpec: JsonBody<"runDataFrame"> = {
  source: { sql: { query: "SELECT * FROM people WHERE age > :min", parameters: { min: 30 } } },
  ops: [
    { join: { right: { source: { table: "depts" } }, on: ["dept_id"], how: "left" } },
    { select: ["name", { col: "dept", as: "department" }] },
    { limit: 5 },
  ],
};
// @ts-expect-error a typo in a field name must not compile (the gateway answers it with 400)
export const typo: JsonBody<"runSql"> = { sql: "SELECT 1", paramters: {} };
// @ts-expect-error an operation is an object with exactly one known key
export const unknownOperation: JsonBody<"runDataFrame"> = { source: { range: 3 }, ops: [{ explode: "x" }] };
