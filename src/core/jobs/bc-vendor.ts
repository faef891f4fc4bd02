/** Push a BC vendor into Cin7. */
import { defineRecordJobType } from './job-type.js';

export const bcVendorJob = defineRecordJobType('bc-vendor', 'vendorId', 'vendor');
