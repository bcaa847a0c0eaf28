// What `sls package` and `sls deploy` check before building a deployment (serverless-plugin.mjs's hooks).

/**
 * A deployment without the token settings would answer 500 on every protected route (fail closed, but
 * broken): refuse to package one, naming what is missing. Local runs (offline, invoke local) trust the
 * development key that npm start and npm run invoke set instead.
 */
export function requireAuthSettings(serverless) {
  const environment = serverless.service.provider.environment ?? {};
  const missing = ['AUTH_ISSUER', 'AUTH_AUDIENCE'].filter((name) => !environment[name]);
  if (!environment.AUTH_JWKS_URL && !environment.AUTH_JWKS) missing.push('AUTH_JWKS_URL');
  if (missing.length === 0) return;
  throw new serverless.classes.Error(
    `Set ${missing.join(', ')} before packaging or deploying: the functions and the API's JWT authorizer check tokens against the issuer (README, Authentication).`,
  );
}
