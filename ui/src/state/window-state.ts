// What the window shows beyond each view's own state: the route, the counts and tags in the
// sidebar and filters, the events list, the error banner, a store that cannot be opened, and
// the confirmation at the bottom. Held in one Store (store.ts); views read it through the app.

import type { AppInfo, Event, Stats } from "../api";
import type { Route } from "../router";
import type { DialogView } from "../views/dialog";

/** An error to show: the backend's stable code and its message for people. */
export interface Banner {
  code: string;
  message: string;
}

export interface ToastAction {
  label: string;
  run: () => unknown;
}

/** A short confirmation at the bottom of the window. A new one is a new object. */
export interface Toast {
  message: string;
  actions: ToastAction[];
}

export interface WindowState {
  route: Route;
  stats: Stats | null;
  info: AppInfo | null;
  tags: string[];
  events: Event[];
  eventsLoaded: boolean;
  banner: Banner | null;
  /** Set when the store itself cannot be opened; the window then explains that instead. */
  storeProblem: Banner | null;
  toast: Toast | null;
  /** The dialog open over the window, if any (the confirmation is asked over it). */
  dialog: DialogView | null;
  demoLoading: boolean;
}

export function initialState(route: Route): WindowState {
  return {
    route,
    stats: null,
    info: null,
    tags: [],
    events: [],
    eventsLoaded: false,
    banner: null,
    storeProblem: null,
    toast: null,
    dialog: null,
    demoLoading: false,
  };
}

/** Error codes meaning the store file itself cannot be used, whatever is asked of it. */
export const STORE_PROBLEMS: ReadonlySet<string> = new Set(["store_corrupt", "store_too_new", "store_unavailable", "passphrase_needed"]);
