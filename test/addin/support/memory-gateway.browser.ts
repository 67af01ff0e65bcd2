import { MemoryGateway } from './memory-gateway';

/** Bundled by the browser test and injected before the pane's scripts: the Excel layer becomes the double. */
const gateway = new MemoryGateway();
window.__tertialExcel = gateway;
(window as unknown as { __tertialDouble: MemoryGateway }).__tertialDouble = gateway;
