export { startService, runServiceMain, type ServiceContext, type ServiceParts, type RunServiceOptions, type RunningService } from './service';
