import { MongoClient } from 'mongodb';

/**
 * The store's URI with a user and password in it that the store accepts: on MongoDB a user is created
 * for it; FerretDB on SQLite takes any user over PLAIN. For tests that a password never reaches a log.
 */
export async function storeUriWithCredentials(uri: string, user: string, password: string): Promise<string> {
  const withUser = uri.replace('://', `://${user}:${encodeURIComponent(password)}@`);
  const separator = withUser.includes('?')
    ? '&'
    : withUser.replace(/^[a-z+]+:\/\//, '').includes('/')
      ? '?'
      : '/?';
  const plain = `${withUser}${separator}authMechanism=PLAIN`;
  const admin = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await admin.db('admin').command({ createUser: user, pwd: password, roles: ['root'] });
    return withUser;
  } catch {
    return plain;
  } finally {
    await admin.close();
  }
}
