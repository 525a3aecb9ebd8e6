// Where this platform's emulator binary is: the platform package npm installed beside this one
// (an optional dependency, like esbuild's), or DATAFAST_EMULATOR_BIN.
'use strict';

/** Platform packages that exist, by `${process.platform}-${process.arch}`. */
const PLATFORMS = { 'linux-x64': '@datafast-emulator/linux-x64' };

function binaryPath() {
  const fromEnv = process.env.DATAFAST_EMULATOR_BIN;
  if (fromEnv) return fromEnv;
  const platform = `${process.platform}-${process.arch}`;
  const pkg = PLATFORMS[platform];
  if (pkg === undefined) {
    throw new Error(
      `datafast-emulator: no prebuilt binary for ${platform} (there is one for ${Object.keys(PLATFORMS).join(', ')}); ` +
        'build it with `cargo install --path crates/emulator` from the repository and set DATAFAST_EMULATOR_BIN',
    );
  }
  try {
    return require.resolve(`${pkg}/bin/datafast-emulator`);
  } catch {
    throw new Error(
      `datafast-emulator: ${pkg} is not installed; npm installs it as an optional dependency ` +
        '(reinstall without --omit=optional / --no-optional)',
    );
  }
}

module.exports = { binaryPath, platforms: Object.keys(PLATFORMS) };
