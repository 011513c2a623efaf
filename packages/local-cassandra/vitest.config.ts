import { packageProject } from '../../vitest.project.js';
import pkg from './package.json' with { type: 'json' };

export default packageProject(pkg.name);
