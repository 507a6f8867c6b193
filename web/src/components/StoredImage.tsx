// An image from a stored file: fetches the bytes, wraps them in a Blob of the MIME type its
// extension names (the blob route answers application/octet-stream, which <img> would not
// render for SVG) and shows it from an object URL, revoked when the image goes away.
import { useEffect, useState } from "react";
import { ErrorBanner, Loading } from "./Status";
import { imageMime, readBlob } from "./storedFiles";

function useObjectUrl(url: string, mime: string): { objectUrl?: string; error?: Error } {
  const key = `${mime} ${url}`;
  const [state, setState] = useState<{ key?: string; objectUrl?: string; error?: Error }>({});
  useEffect(() => {
    let objectUrl: string | undefined;
    let cancelled = false;
    readBlob(url, mime).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setState({ key, objectUrl });
      },
      (error: Error) => !cancelled && setState({ key, error }),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [key, url, mime]);
  // The previous picture is never shown for the next one (its URL is revoked by then).
  return state.key === key ? state : {};
}

export function StoredImage({ url, path, testId }: { url: string; path: string; testId: string }) {
  const { objectUrl, error } = useObjectUrl(url, imageMime(path));
  if (error) return <ErrorBanner error={error} />;
  if (!objectUrl) return <Loading what="the image" />;
  return <img src={objectUrl} alt={path} data-testid={testId} data-path={path} />;
}
