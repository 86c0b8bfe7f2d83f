/** Resolved CloudFormation properties: plain JSON where literal, intrinsic objects where not. */
export type Properties = Readonly<Record<string, unknown>>;
