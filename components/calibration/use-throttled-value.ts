"use client";

import { useEffect, useRef, useState } from "react";

/**
 * `value`, passed on at most once per `ms`: a change after a quiet period goes through at once
 * (leading edge, so a single click or keypress is not delayed), changes in quick succession (a
 * slider drag) are coalesced and the latest is delivered `ms` after the previous one (trailing).
 */
export function useThrottledValue<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  const last = useRef(-Infinity);
  useEffect(() => {
    const now = performance.now();
    const wait = last.current + ms - now;
    if (wait <= 0) {
      last.current = now;
      setOut(value);
      return;
    }
    const timer = window.setTimeout(() => {
      last.current = performance.now();
      setOut(value);
    }, wait);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return out;
}
