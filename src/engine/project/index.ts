/** Public API of project creation. */
export { initProject, DEMO_DATA_RELATIVE_PATH, type InitOptions, type InitResult } from './init';
