// The six operations of the spec, as the client sends them. Everything here is checked
// against the generated types: an operation added to or removed from the spec, a moved
// path, a new request field or a new status value fails the typecheck until this table
// follows.
import type {
  ChatStatus,
  OperationId,
  operations,
  paths,
  RequestBody,
} from "@helpcrunch-chats/types";
import type { ValidationIssue } from "../errors.js";
import type { Operation as Descriptor } from "./transport.js";
import { checkBody } from "./validate.js";

/** How one request field is checked: [check, what is expected, optional?]. */
export type FieldRule = readonly [
  check: (value: unknown) => boolean,
  expected: string,
  optional?: true,
];

export type Fields = Readonly<Record<string, FieldRule>>;

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** [method, path] under which `paths` declares operation `Op`. */
type RouteOf<Op extends OperationId> = {
  [P in keyof paths]: {
    [M in "post" | "put"]: Equal<NonNullable<paths[P][M]>, operations[Op]> extends true
      ? readonly [method: Uppercase<M>, path: P]
      : never;
  }["post" | "put"];
}[keyof paths];

/**
 * [method, path, fields]: where the operation lives and one rule per request field, exactly
 * the fields of its request body. PUT operations are idempotent; the POST (create) is not.
 */
export type Operation<Op extends OperationId> = readonly [
  ...RouteOf<Op>,
  fields: { readonly [F in keyof Required<RequestBody<Op>>]: FieldRule },
];

const isPositiveId = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;
const ID: FieldRule = [isPositiveId, "a positive safe integer"];
const OPTIONAL_ID: FieldRule = [isPositiveId, ID[1], true];
const READ: FieldRule = [(value) => typeof value === "boolean", "a boolean"];

/** The statuses a chat can be moved to: exactly the spec's `ChatStatus` enum. */
export const CHAT_STATUSES = [
  "new",
  "opened",
  "pending",
  "on hold",
  "no communication",
  "closed",
] as const;
const everyStatusListed: Equal<(typeof CHAT_STATUSES)[number], ChatStatus> = true;
void everyStatusListed;

const STATUS: FieldRule = [
  (value) => (CHAT_STATUSES as readonly unknown[]).includes(value),
  `one of ${JSON.stringify(CHAT_STATUSES).slice(1, -1)}`,
];

/** The client method of an operation: its operationId without "Chat" (`updateChatStatus` → `updateStatus`). */
export type MethodName<Op extends OperationId> = Op extends `${infer Verb}Chat${infer Rest}`
  ? `${Verb}${Rest}`
  : never;

/** The operations by client method name; the typecheck ties each entry to its operationId. */
export const OPERATIONS: { readonly [Op in OperationId as MethodName<Op>]: Operation<Op> } = {
  create: [
    "POST",
    "/chats",
    { customer: ID, application: ID, assignee: OPTIONAL_ID, department: OPTIONAL_ID },
  ],
  updateStatus: ["PUT", "/chats/status", { id: ID, status: STATUS }],
  markReadByAgent: ["PUT", "/chats/readByAgent", { id: ID, read: READ }],
  markReadByCustomer: ["PUT", "/chats/readByCustomer", { id: ID, read: READ }],
  updateAssignee: ["PUT", "/chats/assignee", { id: ID, assignee: ID }],
  updateDepartment: ["PUT", "/chats/department", { id: ID, department: ID }],
};

export type MethodKey = keyof typeof OPERATIONS;

/** The operations as the transport reads them (PUTs are repeatable, the create is not). */
export const DESCRIPTORS = Object.fromEntries(
  Object.entries(OPERATIONS).map(([name, [method, path, fields]]) => [
    name,
    {
      method,
      path,
      pathParams: [],
      queryParams: [],
      bodyParams: Object.keys(fields),
      repeatable: method === "PUT",
      paginated: false,
      validate: (input: unknown, issues: ValidationIssue[]) =>
        checkBody(fields as Fields, input as Record<string, unknown>, issues),
    } satisfies Descriptor,
  ]),
) as unknown as Record<MethodKey, Descriptor>;
