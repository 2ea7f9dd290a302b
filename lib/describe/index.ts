/** Element context: role, accessible name, Recorder selectors, box, frame path, menu paths. */
export { roleOf, explicitRole, implicitRole, chromeRole } from './role';
export { accessibleName, type NameOptions } from './name';
export {
  selectorsFor,
  cssChain,
  xpathChain,
  isGeneratedToken,
  isStableClass,
  TEST_ID_ATTRIBUTES,
  type SelectorOptions,
} from './selectors';
export { boxOf } from './box';
export { framePath, framePathInfo, viewportOf, type FramePathInfo, type Viewport } from './frame';
export {
  menuContext,
  menuOpenerOf,
  isMenuOpener,
  dialogOf,
  opensSubmenu,
  openerChain,
  type MenuContext,
  type MenuOpener,
} from './menu';
export { describeTarget, redescribe, type DescribeOptions } from './target';
export { escapeCss } from './dom';
