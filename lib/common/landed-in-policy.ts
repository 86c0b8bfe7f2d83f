import { Dependable, IDependable } from 'constructs';

/**
 * Whether a grant or `addToPrincipalPolicy` result landed in a policy (the role's, a policy of its own, or the
 * resource's). A role imported with `mutable: false` answers `statementAdded: true` and iam.Grant says `success`
 * ("for the purposes of consumer code pretend that it was" added), but its policy dependable is an empty group:
 * nothing was written, while an imported mutable role answers with the policy it wrote. Both are public: the
 * IDependable results of aws-cdk-lib's grants and constructs' Dependable.of. Ask only about roles that are not an
 * iam.Role of the app: a Role fills its dependable group when it lays out its policies at synthesis, so it is
 * still empty while aspects run.
 */
export function landedInPolicy(result: IDependable | undefined): boolean {
  return result !== undefined && Dependable.of(result).dependencyRoots.length > 0;
}
