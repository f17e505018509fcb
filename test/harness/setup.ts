// Installs the Pulumi mocks before any program module loads (vitest setupFiles run first in every test file).
import { installMocks } from "../../plan/engine/mocks";

installMocks();
