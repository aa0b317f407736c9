/**
 * Opens the tab's media stream from a tabCapture stream id, and keeps the tab audible:
 * while a tab is captured Chrome mutes it for the user unless someone plays the stream.
 */
export interface TabStream {
  stream: MediaStream;
  video: MediaStreamTrack;
  audio: MediaStreamTrack | null;
  /** Stops every track and the playback; idempotent. */
  close(): Promise<void>;
}

export interface CaptureLimits {
  maxWidth: number;
  maxHeight: number;
  maxFps: number;
}

export async function openTabStream(streamId: string, limits: CaptureLimits): Promise<TabStream> {
  // Chrome's tab capture still takes the legacy `mandatory` constraints; the types lag behind.
  const constraints = {
    audio: { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: streamId } },
    video: {
      mandatory: {
        chromeMediaSource: 'tab',
        chromeMediaSourceId: streamId,
        maxWidth: limits.maxWidth,
        maxHeight: limits.maxHeight,
        maxFrameRate: limits.maxFps,
      },
    },
  } as unknown as MediaStreamConstraints;
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  const video = stream.getVideoTracks()[0];
  if (!video) {
    for (const track of stream.getTracks()) track.stop();
    throw new Error('The tab stream has no video track.');
  }
  const audio = stream.getAudioTracks()[0] ?? null;

  let playback: AudioContext | null = null;
  if (audio) {
    playback = new AudioContext();
    playback.createMediaStreamSource(new MediaStream([audio])).connect(playback.destination);
  }

  let closed = false;
  return {
    stream,
    video,
    audio,
    async close() {
      if (closed) return;
      closed = true;
      for (const track of stream.getTracks()) track.stop();
      await playback?.close();
    },
  };
}
