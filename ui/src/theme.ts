// Light and dark themes. Without a saved choice the app follows the system setting; the toggle
// saves an explicit choice in localStorage.

export type Theme = "light" | "dark";

const KEY = "kith.theme";

export function savedTheme(): Theme | null {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : null;
  } catch {
    return null;
  }
}

export function systemTheme(): Theme {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function effectiveTheme(): Theme {
  return savedTheme() ?? systemTheme();
}

/** Applies the saved choice (or none) to the document; CSS does the rest. */
export function applyTheme(): void {
  const saved = savedTheme();
  const root = document.documentElement;
  if (saved) root.dataset.theme = saved;
  else delete root.dataset.theme;
}

export function toggleTheme(): Theme {
  const next: Theme = effectiveTheme() === "dark" ? "light" : "dark";
  try {
    window.localStorage.setItem(KEY, next);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this window only.
    document.documentElement.dataset.theme = next;
    return next;
  }
  applyTheme();
  return next;
}
