// Preact with its hooks and htm, in one module from the htm jar: no build step.
export {
  html,
  render,
  useState,
  useEffect,
  useRef,
  useMemo,
  useCallback,
} from '../vendor/htm/preact/standalone.module.js';
