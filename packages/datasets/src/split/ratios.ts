import { CassdlValidationError, describeReceived, validationIssue } from '@cassdl/schema';

/** How far the ratios may sum from 1 (decimal text like 0.7+0.2+0.1 is not exact in binary). */
export const RATIO_SUM_TOLERANCE = 1e-6;

/**
 * Split ratios from `train=0.7,val=0.2,test=0.1` (or an object): names
 * unique, each ratio in [0, 1], the sum 1 within 1e-6. Order is kept: it is
 * the split order in the file and the tie-break when rounding counts.
 */
export function parseRatios(input: string | Record<string, number>): Record<string, number> {
  const entries =
    typeof input === 'string'
      ? input.split(',').map((part) => {
          const [name = '', value = ''] = part.split('=');
          return [name.trim(), value.trim() === '' ? Number.NaN : Number(value)] as const;
        })
      : Object.entries(input);
  const issues = [];
  const ratios: Record<string, number> = {};
  for (const [name, value] of entries) {
    if (name === '' || name in ratios) {
      issues.push(
        validationIssue(
          'split.ratios',
          'name=ratio pairs with distinct names',
          describeReceived(input),
        ),
      );
    } else if (!Number.isFinite(value) || value < 0 || value > 1) {
      issues.push(
        validationIssue(`split.ratios.${name}`, 'number from 0 to 1', describeReceived(value)),
      );
    }
    ratios[name] = value;
  }
  const sum = Object.values(ratios).reduce((a, b) => a + b, 0);
  if (issues.length === 0 && Math.abs(sum - 1) > RATIO_SUM_TOLERANCE) {
    issues.push(
      validationIssue(
        'split.ratios',
        'ratios that sum to 1',
        `${formatSum(sum)} (sum)`,
        `ratios must sum to 1, these sum to ${formatSum(sum)}`,
      ),
    );
  }
  if (issues.length > 0) throw new CassdlValidationError(issues, 'split ratios');
  return ratios;
}

function formatSum(sum: number): string {
  return String(Number(sum.toPrecision(10)));
}
