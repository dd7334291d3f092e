// SPDX-License-Identifier: Apache-2.0
// Entry of execa's own bundle, stored beside the startup snapshot in the single executable
// (packaging/build-sea.sh) and loaded by lib/exec/execa.ts when a program is first run through it.
export { execa } from 'execa';
