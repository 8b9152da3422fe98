export { scaffoldStage, defaultPackageName, type ScaffoldOptions, type ScaffoldResult } from './scaffold.js';
