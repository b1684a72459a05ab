// How every form and dialog saves: once at a time, a draft that did not validate focuses its
// first invalid field instead of writing, the write is made, the form moves on (closes,
// navigates), the views that show what changed are read again, and a failure is shown: in the
// banner, or by the form itself when it says what went wrong in its own words.

import { toApiError, type ApiError } from "../api";

/** What a save needs of the app. */
export interface SaveHost {
  invalidate(): void;
  afterRender(fn: () => void): void;
  showError(e: unknown): void;
  dataChanged(): Promise<void>;
}

export class SaveFlow {
  /** A save is under way: the form's button says so and ignores further presses. */
  saving = false;

  /** `host` is asked for the app when a save runs (views are built before their app is). */
  constructor(private readonly host: () => SaveHost) {}

  /**
   * Saves `draft` with `write`, unless a save is under way. Without a draft (it did not
   * validate; the form shows why) nothing is written and the first element matching
   * `invalid` gets the focus. After the write, `then` moves the form on, the changed views are
   * refreshed, and `refreshed` runs. A failure goes to `failed` if given (a dialog showing it
   * inline), else to the banner. Answers whether the write was made.
   */
  async save<D, T>(
    draft: D | null,
    write: (draft: D) => Promise<T>,
    options: {
      invalid?: string;
      then?: (saved: T) => void;
      refreshed?: (saved: T) => void;
      failed?: (e: ApiError) => void;
    } = {},
  ): Promise<boolean> {
    if (this.saving) return false;
    const app = this.host();
    if (draft === null) {
      app.invalidate();
      const invalid = options.invalid;
      if (invalid) app.afterRender(() => document.querySelector<HTMLElement>(invalid)?.focus());
      return false;
    }
    this.saving = true;
    app.invalidate();
    try {
      const saved = await write(draft);
      options.then?.(saved);
      await app.dataChanged();
      options.refreshed?.(saved);
      return true;
    } catch (e) {
      if (options.failed) options.failed(toApiError(e));
      else app.showError(e);
      return false;
    } finally {
      this.saving = false;
      app.invalidate();
    }
  }
}
