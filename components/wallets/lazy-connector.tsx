"use client";

import { useEffect, useRef, useState, type ComponentType } from "react";
import { FaceShell } from "./connect-shell";
import { registerCardConnect, reportConnectOutcome } from "./connect-outcomes";
import type { BrowserWallet, ConnectFace, ConnectorProps } from "./types";

type Loader = BrowserWallet["loadConnector"];
type Connector = ComponentType<ConnectorProps>;

// Per page, per provider (the registry's loader is the key): a connector loads once and every
// card after that renders it at once. A failed load is forgotten, so the next intent retries.
const loaded = new WeakMap<Loader, Connector>();
const loading = new WeakMap<Loader, Promise<Connector>>();

/** The connector behind `load`, loading it at most once at a time. */
export function loadConnector(load: Loader): Promise<Connector> {
  const done = loaded.get(load);
  if (done) return Promise.resolve(done);
  let pending = loading.get(load);
  if (!pending) {
    pending = load().then((module) => {
      loaded.set(load, module.default);
      return module.default;
    });
    loading.set(load, pending);
    pending.catch(() => {
      if (loading.get(load) === pending) loading.delete(load);
    });
  }
  return pending;
}

/** After this long, the loading line says it is taking a while and counts the seconds. */
export const SLOW_LOAD_MS = 3_000;

/**
 * A wallet card's connector, loaded on intent: until then the card shows the provider's face
 * (its buttons, from light code) and no provider SDK is fetched. A pointer over the buttons or
 * focus on one starts loading early; a press shows "Loading <name>…" (counting seconds when
 * slow), then hands the press to the loaded connector (`start`), which carries on without a
 * second press. A failed load says so and the next press tries again.
 */
export function LazyConnector({ face, load, ...props }: ConnectorProps & { face: ConnectFace; load: Loader }) {
  const [Loaded, setLoaded] = useState<Connector | null>(() => loaded.get(load) ?? null);
  const [start, setStart] = useState<string | null>(null);
  const [since, setSince] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<string | null>(null);

  // Bumped to start the loaded connector again from outside (connectCard): a new mount runs `start`.
  const [run, setRun] = useState(0);

  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setElapsed(Date.now() - since), 1_000);
    return () => clearInterval(timer);
  }, [since]);

  // The page may start this card's primary intent (connectCard), as if its button were pressed.
  const startPrimary = useRef<() => void>(() => undefined);
  useEffect(() => {
    const primary = face.intents[0]?.id ?? null;
    startPrimary.current = () => {
      if (!primary) return;
      if (!Loaded) return begin(primary);
      setStart(primary);
      setRun((n) => n + 1);
    };
  });
  useEffect(() => registerCardConnect(props.provider, () => startPrimary.current()), [props.provider]);

  if (Loaded) return <Loaded key={run} {...props} start={start} />;

  const prefetch = () => void loadConnector(load).catch(() => undefined);
  function begin(intent: string) {
    setError(null);
    setElapsed(0);
    setSince(Date.now());
    loadConnector(load).then(
      (connector) => {
        setStart(intent);
        setLoaded(() => connector);
      },
      (e: unknown) => {
        // The person sees what to do; a developer finds the loader's own error in the console.
        console.error(e);
        setSince(null);
        setError(`${props.name} could not be loaded. Check your connection, then try again.`);
        reportConnectOutcome(props.provider, "failed");
      },
    );
  }
  const status =
    since === null
      ? null
      : elapsed < SLOW_LOAD_MS
        ? `Loading ${props.name}…`
        : `Still loading ${props.name}… ${Math.round(elapsed / 1_000)} s, on a slow connection this can take a while.`;
  return (
    <div onPointerEnter={prefetch} onFocus={prefetch}>
      <FaceShell face={face} run={begin} status={status} error={error} busy={since !== null} />
    </div>
  );
}
