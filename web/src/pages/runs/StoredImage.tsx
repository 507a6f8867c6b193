// An image from a stored file: fetches the bytes, wraps them in a Blob of the MIME type its
// extension names (the blob route answers application/octet-stream, which <img> would not
// render for SVG) and shows it from an object URL, revoked when the image goes away.
import { useEffect, useState } from "react";
import { ErrorBanner, Loading } from "../../components/Status";
import { imageMime, readBlob } from "./artifactText";

function useObjectUrl(url: string, mime: string): { objectUrl?: string; error?: Error } {
  const [state, setState] = useState<{ objectUrl?: string; error?: Error }>({});
  useEffect(() => {
    let objectUrl: string | undefined;
    let cancelled = false;
    setState({});
    readBlob(url, mime).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setState({ objectUrl });
      },
      (error: Error) => !cancelled && setState({ error }),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, mime]);
  return state;
}

export function StoredImage({ url, path, testId }: { url: string; path: string; testId: string }) {
  const { objectUrl, error } = useObjectUrl(url, imageMime(path));
  if (error) return <ErrorBanner error={error} />;
  if (!objectUrl) return <Loading what="the image" />;
  return <img src={objectUrl} alt={path} data-testid={testId} data-path={path} />;
}
