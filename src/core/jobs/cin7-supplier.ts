/** Align a BC vendor with a Cin7 supplier. */
import { defineRecordJobType } from './job-type.js';

export const cin7SupplierJob = defineRecordJobType('cin7-supplier', 'supplierId', 'supplier');
