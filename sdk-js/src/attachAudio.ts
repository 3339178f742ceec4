/**
 * Plays a remote audio track through a hidden <audio autoplay> element appended to `parent` (default: body).
 * Returns a function that stops playback and removes the element. Browsers only render remote WebRTC audio that is
 * attached to a sink, so call this for every subscribed track you want heard.
 */
export function attachAudio(track: MediaStreamTrack, parent: HTMLElement = document.body): () => void {
  const element = document.createElement('audio');
  element.autoplay = true;
  element.hidden = true;
  element.dataset.trackId = track.id;
  element.srcObject = new MediaStream([track]);
  parent.append(element);
  // Autoplay may be refused until a user gesture; the Call button click normally provides one.
  element.play().catch(() => undefined);
  const onEnded = (): void => detach();
  track.addEventListener('ended', onEnded);
  function detach(): void {
    track.removeEventListener('ended', onEnded);
    element.srcObject = null;
    element.remove();
  }
  return detach;
}
