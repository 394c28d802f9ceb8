// @peculiar/x509 uses tsyringe, which needs the Reflect metadata polyfill loaded
// before it evaluates; every module of this package imports x509 through here.
import 'reflect-metadata';

export * from '@peculiar/x509';
