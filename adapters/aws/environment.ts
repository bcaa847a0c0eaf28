/** Reads a setting serverless.yml provides; a missing one fails at cold start, naming the variable. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Environment variable ${name} is not set (see serverless.yml)`);
  return value;
}
