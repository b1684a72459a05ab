// Line icons drawn for Kith on a 24×24 grid, stroked in the current text colour. Channel icons
// are simple, recognisable shapes (an envelope, a butterfly, a speech bubble) rather than the
// platforms' own marks. All markup is static: nothing here interpolates user text.

import { html, svg, type SVGTemplateResult, type TemplateResult } from "lit-html";
import type { ChannelKind, Direction } from "./bindings";
import { channelLabel } from "./format";

const CHANNEL_SHAPES: Record<ChannelKind, SVGTemplateResult> = {
  // A bold X in a rounded square.
  twitter: svg`<rect x="3.5" y="3.5" width="17" height="17" rx="4"/><path d="M8.5 8.5l7 7M15.5 8.5l-7 7"/>`,
  // A speech bubble with an "m" inside.
  mastodon: svg`<path d="M7 4h10a3 3 0 0 1 3 3v6.5a3 3 0 0 1-3 3h-6l-4 3v-3.2A3 3 0 0 1 4 13.5V7a3 3 0 0 1 3-3z"/><path d="M8.5 13v-2.5a1.75 1.75 0 0 1 3.5 0V13M12 10.5a1.75 1.75 0 0 1 3.5 0V13"/>`,
  // A butterfly.
  bluesky: svg`<path d="M12 11.5C10.6 8.4 7.6 5 5 5c-1.6 0-2 1.2-1.6 3.4.4 2.3 1.7 3.4 4.4 3.6-2.6.5-3.4 2-2.3 3.7 1.5 2.3 4.3 2.2 6.5-1.8 2.2 4 5 4.1 6.5 1.8 1.1-1.7.3-3.2-2.3-3.7 2.7-.2 4-1.3 4.4-3.6C20.6 6.2 20.2 5 18.6 5 16 5 13.4 8.4 12 11.5z"/>`,
  // An envelope.
  email: svg`<rect x="3" y="5.5" width="18" height="13" rx="2"/><path d="M3.5 7l8.5 6 8.5-6"/>`,
  // A page with lines of writing.
  blog: svg`<path d="M6 3.5h8.5L19 8v12.5H6z"/><path d="M14.5 3.5V8H19M9 12h7M9 15h7M9 18h4"/>`,
  // Two envelopes, one behind the other: a mailing list.
  listserv: svg`<rect x="6" y="8.5" width="15" height="11" rx="1.5"/><path d="M6.5 10l7 5 7-5M3 15.5V6.5A1.5 1.5 0 0 1 4.5 5H17"/>`,
  // Two people side by side.
  in_person: svg`<circle cx="9" cy="8" r="3"/><path d="M3.5 19.5c0-3.3 2.5-5.5 5.5-5.5s5.5 2.2 5.5 5.5"/><circle cx="16.5" cy="9" r="2.3"/><path d="M16 13.6c2.6.1 4.5 2.2 4.5 5.4"/>`,
  // A camera.
  video_call: svg`<rect x="3" y="6.5" width="12" height="11" rx="2"/><path d="M15 10.5l5.5-3v9l-5.5-3z"/>`,
  // A handset.
  phone: svg`<path d="M6.5 3.5h2.6l1.6 4.2-2.1 1.4a10.5 10.5 0 0 0 6.3 6.3l1.4-2.1 4.2 1.6v2.6a2 2 0 0 1-2.2 2A16 16 0 0 1 4.5 5.7a2 2 0 0 1 2-2.2z"/>`,
  // A speech bubble with an ellipsis.
  other: svg`<path d="M5 5h14a1.5 1.5 0 0 1 1.5 1.5v9A1.5 1.5 0 0 1 19 17H10l-4.5 3.5V17H5a1.5 1.5 0 0 1-1.5-1.5v-9A1.5 1.5 0 0 1 5 5z"/><path d="M8.5 11h.01M12 11h.01M15.5 11h.01" stroke-width="2.6"/>`,
};

export type IconName =
  | "search"
  | "plus"
  | "edit"
  | "trash"
  | "lock"
  | "globe"
  | "sun"
  | "moon"
  | "users"
  | "calendar"
  | "bolt"
  | "close"
  | "back"
  | "map-pin"
  | "link"
  | "check"
  | "question"
  | "sparkle"
  | "lightbulb"
  | "clock"
  | "arrow-right"
  | "mail"
  | "external"
  | "import"
  | "merge"
  | "file";

const UI_SHAPES: Record<IconName, SVGTemplateResult> = {
  search: svg`<circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5"/>`,
  plus: svg`<path d="M12 5v14M5 12h14"/>`,
  edit: svg`<path d="M14.5 5.5l4 4L9 19H5v-4z"/><path d="M12.5 7.5l4 4"/>`,
  trash: svg`<path d="M4.5 7h15M10 4h4M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5"/>`,
  lock: svg`<rect x="5" y="10.5" width="14" height="10" rx="2"/><path d="M8 10.5V8a4 4 0 0 1 8 0v2.5"/>`,
  globe: svg`<circle cx="12" cy="12" r="8.5"/><path d="M3.5 12h17M12 3.5c2.3 2.4 3.5 5.2 3.5 8.5s-1.2 6.1-3.5 8.5c-2.3-2.4-3.5-5.2-3.5-8.5S9.7 5.9 12 3.5z"/>`,
  sun: svg`<circle cx="12" cy="12" r="4"/><path d="M12 2.5v2M12 19.5v2M2.5 12h2M19.5 12h2M5.3 5.3l1.4 1.4M17.3 17.3l1.4 1.4M5.3 18.7l1.4-1.4M17.3 6.7l1.4-1.4"/>`,
  moon: svg`<path d="M19.5 14.5A8 8 0 0 1 9.5 4.5a8 8 0 1 0 10 10z"/>`,
  users: svg`<circle cx="9" cy="8" r="3"/><path d="M3.5 19.5c0-3.3 2.5-5.5 5.5-5.5s5.5 2.2 5.5 5.5"/><path d="M15 5.3a3 3 0 0 1 0 5.4M17 14.2c2.2.6 3.5 2.5 3.5 5.3"/>`,
  calendar: svg`<rect x="3.5" y="5" width="17" height="15.5" rx="2"/><path d="M3.5 10h17M8 3v4M16 3v4"/>`,
  bolt: svg`<path d="M13 3L5 13.5h6L10 21l8-10.5h-6z"/>`,
  close: svg`<path d="M6 6l12 12M18 6L6 18"/>`,
  back: svg`<path d="M14.5 5.5L8 12l6.5 6.5"/>`,
  "map-pin": svg`<path d="M12 21s-6.5-5.6-6.5-11a6.5 6.5 0 0 1 13 0c0 5.4-6.5 11-6.5 11z"/><circle cx="12" cy="10" r="2.3"/>`,
  link: svg`<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7L11.5 6.8"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1.5-1.5"/>`,
  check: svg`<path d="M5 12.5l4.5 4.5L19 7.5"/>`,
  question: svg`<circle cx="12" cy="12" r="8.5"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6M12 17h.01"/>`,
  sparkle: svg`<path d="M12 3.5l1.9 5.6 5.6 1.9-5.6 1.9-1.9 5.6-1.9-5.6-5.6-1.9 5.6-1.9z"/>`,
  lightbulb: svg`<path d="M9 17.5h6M10 20.5h4M12 3.5a6 6 0 0 0-3.6 10.8c.7.5 1.1 1.3 1.1 2.2v1h5v-1c0-.9.4-1.7 1.1-2.2A6 6 0 0 0 12 3.5z"/>`,
  clock: svg`<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>`,
  "arrow-right": svg`<path d="M5 12h14M13.5 6.5L19 12l-5.5 5.5"/>`,
  mail: svg`<rect x="3" y="5.5" width="18" height="13" rx="2"/><path d="M3.5 7l8.5 6 8.5-6"/>`,
  external: svg`<path d="M14 4.5h5.5V10M19.5 4.5L11 13M17 14v4.5a1 1 0 0 1-1 1H5.5a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1H10"/>`,
  // An arrow coming down into a tray.
  import: svg`<path d="M12 3.5v11M7.5 10l4.5 4.5 4.5-4.5"/><path d="M4 14.5v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4"/>`,
  // Two paths joining into one.
  merge: svg`<circle cx="7" cy="5.5" r="2"/><circle cx="17" cy="5.5" r="2"/><path d="M7 7.5c0 5 5 5 5 9.5v3.5M17 7.5c0 5-5 5-5 9.5"/>`,
  // A page with a folded corner.
  file: svg`<path d="M6 3.5h8.5L19 8v12.5H6z"/><path d="M14.5 3.5V8H19"/>`,
};

function frame(shape: SVGTemplateResult, cls: string): TemplateResult {
  return html`<svg
    class=${cls}
    viewBox="0 0 24 24"
    width="18"
    height="18"
    fill="none"
    stroke="currentColor"
    stroke-width="1.7"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >${shape}</svg>`;
}

/** A decorative interface icon; put the meaning in nearby text or an aria-label. */
export function icon(name: IconName): TemplateResult {
  return frame(UI_SHAPES[name], `icon icon-${name}`);
}

/**
 * A channel icon that names its channel to assistive technology and on hover; `decorative`
 * when the channel's name is written next to it anyway.
 */
export function channelIcon(channel: ChannelKind, decorative = false): TemplateResult {
  if (decorative) {
    return html`<span class="channel-icon channel-${channel}" aria-hidden="true"
      >${frame(CHANNEL_SHAPES[channel] ?? CHANNEL_SHAPES.other, "icon")}</span
    >`;
  }
  const label = channelLabel(channel);
  return html`<span class="channel-icon channel-${channel}" role="img" aria-label=${label} title=${label}
    >${frame(CHANNEL_SHAPES[channel] ?? CHANNEL_SHAPES.other, "icon")}</span
  >`;
}

const DIRECTION_SHAPES: Record<Direction, SVGTemplateResult> = {
  outbound: svg`<path d="M7 17L17 7M9 7h8v8"/>`,
  inbound: svg`<path d="M17 7L7 17M15 17H7V9"/>`,
  mutual: svg`<path d="M4 9h14l-3.5-3.5M20 15H6l3.5 3.5"/>`,
};

const DIRECTION_WORDS: Record<Direction, string> = {
  outbound: "You reached out",
  inbound: "They reached out",
  mutual: "Both ways",
};

export function directionIcon(direction: Direction): TemplateResult {
  const label = DIRECTION_WORDS[direction];
  return html`<span class="direction-icon direction-${direction}" role="img" aria-label=${label} title=${label}
    >${frame(DIRECTION_SHAPES[direction], "icon")}</span
  >`;
}
