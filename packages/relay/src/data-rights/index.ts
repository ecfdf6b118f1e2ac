/** Data rights: export and erase everything held about one visitor. */
export { DataRights, VISITOR_EXPORT_FORMAT } from './service.js';
export type { DataRightsOptions, VisitorExport, VisitorErasure } from './service.js';
