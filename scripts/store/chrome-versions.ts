// The oldest Chrome each API Looptab uses needs, with where that is written. The manifest's
// `minimum_chrome_version` must be the largest of those the code uses (tests/unit/store/), and
// build.mjs lowers syntax to that version. A `chrome.*` member missing here fails that test:
// add it with its version and source.

export interface Requirement {
  /** What is used, as the code says it. */
  api: string;
  /** Oldest Chrome (major version) it works in as Looptab uses it. */
  chrome: number;
  /** Where the version is stated. */
  source: string;
}

const MV3 = 'Manifest V3 itself needs Chrome 88 (https://blog.chromium.org/2020/12/manifest-v3-now-available-on-m88-beta.html); the API came with it or is older';
const OFFSCREEN = 'chrome.offscreen reference: "Chrome 109+ MV3+"; reasons USER_MEDIA and BLOBS are in its first version (https://developer.chrome.com/docs/extensions/reference/api/offscreen)';
const GET_CONTEXTS = 'chrome.runtime reference: getContexts() and ContextType are "Chrome 116+ MV3+" (https://developer.chrome.com/docs/extensions/reference/api/runtime#method-getContexts)';
const WEBCODECS = 'WebCodecs (encoders, decoders, VideoFrame with visibleRect, AudioData, ImageDecoder): "Chrome 94" (https://web-platform-dx.github.io/web-features-explorer/features/webcodecs)';

/** `chrome.<namespace>.<member>` -> what it needs. Types (`chrome.tabs.Tab`) are listed too: they are members in the source. */
export const CHROME_APIS: Record<string, Omit<Requirement, 'api'>> = {
  'i18n.getMessage': { chrome: 88, source: MV3 },
  'i18n.getUILanguage': { chrome: 88, source: MV3 },
  'action.getBadgeText': { chrome: 88, source: MV3 },
  'action.setBadgeBackgroundColor': { chrome: 88, source: MV3 },
  'action.setBadgeText': { chrome: 88, source: MV3 },
  'action.setTitle': { chrome: 88, source: MV3 },
  'commands.onCommand': { chrome: 88, source: MV3 },
  'commands.getAll': { chrome: 88, source: MV3 },
  'contextMenus.ContextType': { chrome: 88, source: MV3 },
  'contextMenus.create': { chrome: 88, source: MV3 },
  'contextMenus.onClicked': { chrome: 88, source: MV3 },
  'contextMenus.removeAll': { chrome: 88, source: MV3 },
  'contextMenus.update': { chrome: 88, source: MV3 },
  'downloads.download': { chrome: 88, source: MV3 },
  'downloads.onChanged': { chrome: 88, source: MV3 },
  'downloads.DownloadDelta': { chrome: 88, source: MV3 },
  'downloads.search': { chrome: 88, source: MV3 },
  'downloads.show': { chrome: 88, source: MV3 },
  'notifications.NotificationCreateOptions': { chrome: 88, source: MV3 },
  'notifications.clear': { chrome: 88, source: MV3 },
  'notifications.create': { chrome: 88, source: MV3 },
  'notifications.onButtonClicked': { chrome: 88, source: MV3 },
  'notifications.onClicked': { chrome: 88, source: MV3 },
  'offscreen.Reason': { chrome: 109, source: OFFSCREEN },
  'offscreen.closeDocument': { chrome: 109, source: OFFSCREEN },
  'offscreen.createDocument': { chrome: 109, source: OFFSCREEN },
  'runtime.ContextType': { chrome: 116, source: GET_CONTEXTS },
  'runtime.MessageSender': { chrome: 88, source: MV3 },
  'runtime.getContexts': { chrome: 116, source: GET_CONTEXTS },
  'runtime.getURL': { chrome: 88, source: MV3 },
  'runtime.id': { chrome: 88, source: MV3 },
  'runtime.onInstalled': { chrome: 88, source: MV3 },
  'runtime.onMessage': { chrome: 88, source: MV3 },
  'runtime.sendMessage': { chrome: 88, source: MV3 },
  'storage.StorageChange': { chrome: 88, source: MV3 },
  'storage.onChanged': { chrome: 88, source: MV3 },
  'storage.session': {
    chrome: 102,
    source: 'chrome.storage reference: storage.session is "Chrome 102+ MV3+" (https://developer.chrome.com/docs/extensions/reference/api/storage#property-session)',
  },
  'storage.sync': { chrome: 88, source: MV3 },
  'tabCapture.getMediaStreamId': {
    chrome: 116,
    source:
      'called in the service worker, its stream used in the offscreen document: "Starting in Chrome 116, you can call the chrome.tabCapture API in a service worker" (https://developer.chrome.com/docs/extensions/mv3/screen_capture/)',
  },
  'tabs.Tab': { chrome: 88, source: MV3 },
  'tabs.create': { chrome: 88, source: MV3 },
  'tabs.get': { chrome: 88, source: MV3 },
  'tabs.getZoom': { chrome: 88, source: MV3 },
  'tabs.onRemoved': { chrome: 88, source: MV3 },
  'tabs.query': { chrome: 88, source: MV3 },
  'tabs.update': { chrome: 88, source: MV3 },
  'windows.update': { chrome: 88, source: MV3 },
};

/** Web platform and JavaScript features, found by a pattern in the code. */
export const WEB_APIS: (Requirement & { pattern: RegExp })[] = [
  { api: 'MediaStreamTrackProcessor', pattern: /\bMediaStreamTrackProcessor\b/, chrome: 94, source: 'MDN browser-compat-data api/MediaStreamTrackProcessor: Chrome 94 (shipped beside WebCodecs)' },
  { api: 'WebCodecs', pattern: /\b(VideoEncoder|AudioEncoder|VideoDecoder|AudioDecoder|EncodedVideoChunk|EncodedAudioChunk|AudioData)\b/, chrome: 94, source: WEBCODECS },
  { api: 'VideoFrame visibleRect', pattern: /\bvisibleRect\b/, chrome: 94, source: WEBCODECS },
  { api: 'ImageDecoder', pattern: /\bImageDecoder\b/, chrome: 94, source: WEBCODECS },
  { api: 'navigator.storage.getDirectory (origin private file system)', pattern: /\bstorage\.getDirectory\b/, chrome: 86, source: 'MDN browser-compat-data api/StorageManager getDirectory: Chrome 86' },
  {
    api: 'FileSystemSyncAccessHandle with synchronous flush/getSize/truncate/close',
    pattern: /\bcreateSyncAccessHandle\b/,
    chrome: 108,
    source: 'the handle exists since Chrome 102, its flush/getSize/truncate/close are synchronous "as of Chromium 108" (https://developer.chrome.com/blog/sync-methods-for-accesshandles)',
  },
  { api: 'Array.prototype.findLast / findLastIndex', pattern: /\.findLast(Index)?\(/, chrome: 97, source: 'MDN browser-compat-data javascript/builtins/Array/findLast: Chrome 97' },
  { api: 'HTMLVideoElement.requestVideoFrameCallback', pattern: /\brequestVideoFrameCallback\b/, chrome: 83, source: 'https://web.dev/articles/requestvideoframecallback-rvfc: "Chromium 83"' },
  { api: 'OffscreenCanvas', pattern: /\bOffscreenCanvas\b/, chrome: 69, source: 'MDN browser-compat-data api/OffscreenCanvas: Chrome 69' },
  // Built-ins newer than the version above: none is used today; these fail the check if one appears
  // (esbuild lowers syntax to the target, never built-ins).
  { api: 'Object.groupBy / Map.groupBy', pattern: /\b(Object|Map)\.groupBy\b/, chrome: 117, source: 'MDN browser-compat-data javascript/builtins/Object/groupBy: Chrome 117' },
  { api: 'Promise.withResolvers', pattern: /\bPromise\.withResolvers\b/, chrome: 119, source: 'MDN browser-compat-data javascript/builtins/Promise/withResolvers: Chrome 119' },
  { api: 'URL.canParse', pattern: /\bURL\.canParse\b/, chrome: 120, source: 'MDN browser-compat-data api/URL/canParse_static: Chrome 120' },
  { api: 'Array.fromAsync', pattern: /\bArray\.fromAsync\b/, chrome: 121, source: 'MDN browser-compat-data javascript/builtins/Array/fromAsync: Chrome 121' },
  { api: 'Set methods (union, intersection, ...)', pattern: /\.(union|intersection|symmetricDifference|isSubsetOf|isSupersetOf|isDisjointFrom)\(/, chrome: 122, source: 'MDN browser-compat-data javascript/builtins/Set/union: Chrome 122' },
  { api: 'URL.parse', pattern: /\bURL\.parse\(/, chrome: 126, source: 'MDN browser-compat-data api/URL/parse_static: Chrome 126' },
  { api: 'Promise.try', pattern: /\bPromise\.try\b/, chrome: 128, source: 'MDN browser-compat-data javascript/builtins/Promise/try: Chrome 128' },
  { api: 'Float16Array', pattern: /\bFloat16Array\b/, chrome: 135, source: 'MDN browser-compat-data javascript/builtins/Float16Array: Chrome 135' },
];

const CHROME_MEMBER = /\bchrome\s*\.\s*([A-Za-z]+)\s*\.\s*([A-Za-z]+)/g;

export interface ApiUse {
  /** What the code uses and what each needs. */
  used: Requirement[];
  /** `chrome.*` members used but not in CHROME_APIS: their version is unknown. */
  unknown: string[];
}

/** The APIs `code` (source or bundled JavaScript) uses, each once. */
export function apisUsed(code: string): ApiUse {
  const used = new Map<string, Requirement>();
  const unknown = new Set<string>();
  for (const [, namespace, member] of code.matchAll(CHROME_MEMBER)) {
    const api = `${namespace}.${member}`;
    const known = CHROME_APIS[api];
    if (known) used.set(`chrome.${api}`, { api: `chrome.${api}`, ...known });
    else unknown.add(`chrome.${api}`);
  }
  for (const { pattern, ...requirement } of WEB_APIS) if (pattern.test(code)) used.set(requirement.api, requirement);
  return { used: [...used.values()], unknown: [...unknown].sort() };
}

/** The oldest Chrome that runs all of `used`, and the APIs that set it. */
export function requiredChrome(used: readonly Requirement[]): { chrome: number; because: Requirement[] } {
  const chrome = Math.max(88, ...used.map((r) => r.chrome));
  return { chrome, because: used.filter((r) => r.chrome === chrome) };
}
