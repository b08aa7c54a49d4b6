/** This tool's name and version (package.json), recorded in each run's manifest; the bundle keeps only these two fields. */
import { name, version } from '../../package.json';

export const PACKAGE_NAME: string = name;
export const PACKAGE_VERSION: string = version;
