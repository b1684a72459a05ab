// The fake backend's commands, typed from the generated bindings (src/bindings.ts). Each
// handler takes the arguments the generated `commands` declare and must answer the result type
// they declare, so a command renamed, added or removed, or an argument or a result whose type
// changed, is a type error in `npm run typecheck`, not a browser test quietly answering an old
// shape. The names on the wire are learnt from the generated functions themselves.

import { mockIPC } from "@tauri-apps/api/mocks";
import { commands, type Code, type PublicError } from "../../src/bindings";
import type { FakeControl, FakeStore } from "./fake-backend";

type Commands = typeof commands;
/** A command as the generated bindings name it (`getContact`). */
export type CommandName = keyof Commands;
type Ok<R> = R extends { status: "ok"; data: infer T } ? T : never;
/** What a command answers when it succeeds. */
export type Answer<K extends CommandName> = Ok<Awaited<ReturnType<Commands[K]>>>;
/** The fake's answer to a command: its result, now or later. */
export type Handler<K extends CommandName> = (...args: Parameters<Commands[K]>) => Answer<K> | Promise<Answer<K>>;
/** Every command's handler: what the whole fake must answer. */
export type Handlers = { [K in CommandName]: Handler<K> };

/** An area's answer meaning "not for me" (a file dialog opened for another area's purpose). */
export const NOT_MINE = Symbol("not mine");
/** The commands one area of the fake answers (imports, events, backups…). */
export type Extension = {
  [K in CommandName]?: (...args: Parameters<Commands[K]>) => Answer<K> | Promise<Answer<K>> | typeof NOT_MINE;
};

/** A command's failure, as the backend reports it. */
export class Failure {
  constructor(readonly error: PublicError) {}
}

export const fail = (code: Code, message: string): never => {
  throw new Failure({ code, message });
};

/** What every area gets: the shared store and the test's controls. */
export interface FakeContext {
  store: FakeStore;
  control: FakeControl;
  fail: (code: Code, message: string) => never;
}

/** How the app sends a command: which generated command it is and its arguments' names, in order. */
export interface Wire {
  name: CommandName;
  params: string[];
}

/**
 * Calls every generated command once with a marker per argument and notes what reached the
 * IPC: the command's name on the wire and which argument is which. Nothing is hand-copied, so
 * the fake hears exactly what the app sends. Installs its own mockIPC; install the real one after.
 */
export function learnWire(): Map<string, Wire> {
  const heard: Array<{ cmd: string; args: Record<string, unknown> }> = [];
  mockIPC((cmd, payload) => {
    heard.push({ cmd, args: (payload ?? {}) as Record<string, unknown> });
    return null;
  });
  const wire = new Map<string, Wire>();
  for (const name of Object.keys(commands) as CommandName[]) {
    const call = commands[name] as (...args: unknown[]) => Promise<unknown>;
    const markers = Array.from({ length: call.length }, (_, i) => `\u0000${name}:${i}`);
    heard.length = 0;
    void call(...markers).catch(() => undefined);
    const sent = heard.pop();
    if (!sent) throw new Error(`the generated command ${name} did not reach the IPC`);
    const params = markers.map((m) => {
      const key = Object.keys(sent.args).find((k) => sent.args[k] === m);
      if (key === undefined) throw new Error(`the generated command ${name} does not send its arguments by name`);
      return key;
    });
    wire.set(sent.cmd, { name, params });
  }
  return wire;
}

/**
 * The arguments of one call, in the generated command's order. Real IPC serialises them, so
 * the fake gets copies (it can't keep the app's references); a Channel stays a Channel.
 */
export function argumentsOf(wire: Wire, payload: Record<string, unknown>): unknown[] {
  return wire.params.map((p) => {
    const v = payload[p];
    return v === undefined || isChannel(v) ? v : JSON.parse(JSON.stringify(v));
  });
}

/** The app's Channel comes from the app's own copy of the Tauri API, so `instanceof` can't tell. */
function isChannel(v: unknown): boolean {
  return typeof v === "object" && v !== null && "onmessage" in v && typeof (v as { onmessage: unknown }).onmessage === "function";
}
