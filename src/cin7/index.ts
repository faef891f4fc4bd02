export { createCin7Client, type Cin7Client, type CreateCin7ClientOptions, type Cin7ThrottleInfo } from './client.js';
export { createCin7Limiter, sharedCin7Limiter, type CreateCin7LimiterOptions } from './limiter.js';
export {
  classifyCin7NetworkError,
  classifyCin7Response,
  readCin7ErrorBody,
  type Cin7HttpResponse,
} from './classify.js';
export { formatCin7Date } from './dates.js';
export { paginate, type Cin7PageResult } from './paginate.js';
export { isRetryableCin7Failure } from './retry.js';
