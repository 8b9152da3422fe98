export { COMMON_OPTIONS, checkTemplateNames, reportFailure, runPinCommand, type Log, type PinCommand, type PinCommandLine } from './pin-command.js';
export { descriptionArgument, readDescriptionFiles } from './description-files.js';
export { readJson } from './read-json.js';
export { fillPlaceholders, mergeItems, placeholderIn, templateNames, templateSource, type Json, type Placeholder, type PlaceholderKeys } from './template.js';
export { writeAtomically, writeDocument } from './write-output.js';
